"""The article texts and curated fact files, shipped as package data."""
