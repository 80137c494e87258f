"""Stories: documents about the same event, grouped across outlets and days, and ranked."""
