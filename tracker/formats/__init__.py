"""Exchange formats (JSONL, CSV) and exporters. They sit on the domain and the store's data API."""
