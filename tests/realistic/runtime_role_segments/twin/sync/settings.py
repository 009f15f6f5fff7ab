CLEVER_API = "https://api.clever.com/v3.1"
