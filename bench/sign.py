#!/usr/bin/env python3
"""Prints curl -H arguments (one per line) that sign a Backend.AI request (protocol section 2).

Usage: sign.py METHOD PATH CONTENT_TYPE ENDPOINT ACCESS_KEY SECRET_KEY
"""
import datetime
import hashlib
import hmac
import sys
from urllib.parse import urlsplit

method, path, content_type, endpoint, access_key, secret_key = sys.argv[1:7]
version = "v4.20190315"
date = datetime.datetime.now(datetime.timezone.utc).isoformat()
host = urlsplit(endpoint).netloc
to_sign = "\n".join([method.upper(), path, date, "host:" + host, "content-type:" + content_type.lower(),
                     "x-backendai-version:" + version, hashlib.sha256(b"").hexdigest()])
k1 = hmac.new(secret_key.encode(), date[:10].replace("-", "").encode(), hashlib.sha256).digest()
k2 = hmac.new(k1, host.encode(), hashlib.sha256).digest()
signature = hmac.new(k2, to_sign.encode(), hashlib.sha256).hexdigest()
print("Date: " + date)
print("X-BackendAI-Version: " + version)
print("Authorization: BackendAI signMethod=HMAC-SHA256, credential=%s:%s" % (access_key, signature))
