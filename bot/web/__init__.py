"""The public, anonymised web site and the Open311 GeoReport v2 API (aiohttp + Jinja2)."""
