CLEVER = {
    "base_url": "https://api.clever.com/v2.1/",
    "timeout": 30,
}
