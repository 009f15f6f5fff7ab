CLEVER_API = "https://api.clever.com/v2.1"
