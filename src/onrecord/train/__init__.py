"""Training the learned parts of the pipeline from the shared annotated data."""
