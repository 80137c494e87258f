"""Batch extraction at crawl scale: input files to Parquet tables, locally or on Spark."""
