"""Language processing: spaCy parsing, boilerplate, entities, statements."""
