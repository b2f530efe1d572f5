"""Language detection, spaCy pipelines and sentence splitting."""
