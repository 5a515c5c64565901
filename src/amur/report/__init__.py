"""Reports: tables written as CSV and Markdown (HTML and PNG reports build on them)."""
