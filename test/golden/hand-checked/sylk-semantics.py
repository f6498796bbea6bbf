#!/usr/bin/python3
# Hand-checked expectations for Sylk's semantics, computed with the libraries Sylk Pushserver runs on (Debian 12's
# python3 and python3-httpx 0.23.3), not with Sylk's code: run `/usr/bin/python3 sylk-semantics.py >
# sylk-semantics.json` (needs `apt-get install python3-httpx`).
#  - apns_result_urls: Sylk reports `url = f'{self.connection.base_url}{self.path}'` for an httpx.Client made
#    with `base_url=f'https://{host}:{port}'` (pushserver/pns/apple.py): how httpx prints that base URL.
#  - device_order: Sylk's file storage keeps an account's devices in a dict, `tokens[account][key] = data` to
#    add and `del tokens[account][key]` to remove; v2 pushes iterate it. The order after each operation.
import json
import httpx

urls = []
for host, port in [('api.push.apple.com', 443), ('api.sandbox.push.apple.com', 443), ('127.0.0.1', 443), ('127.0.0.1', 8443), ('apns.example.net', 2197)]:
    client = httpx.Client(base_url=f'https://{host}:{port}')
    path = '/3/device/' + 'ab' * 32
    urls.append({'host': host, 'port': port, 'token': 'ab' * 32, 'url': f'{client.base_url}{path}'})

operations = [
    ['add', 'com.example.sylk', 'zz-android', 'firebase'],
    ['add', 'com.example.sylk', 'mm-iphone', 'apple'],
    ['add', 'com.example.linphone', 'aa-tablet', 'firebase'],
    ['add', 'com.example.linphone', 'kk-ipad', 'apple'],
    ['add', 'com.example.sylk', 'mm-iphone', 'apple'],
    ['remove', 'com.example.sylk', 'zz-android', 'firebase'],
    ['add', 'com.example.sylk', 'zz-android', 'firebase'],
    ['add', 'com.example.sylk', 'bb-phone', 'apple'],
    ['remove', 'com.example.linphone', 'kk-ipad', 'apple'],
]
tokens = {}
steps = []
for op, app_id, device_id, platform in operations:
    key = f'{app_id}-{device_id}'
    if op == 'add':
        tokens[key] = {'app_id': app_id, 'device_id': device_id, 'platform': platform}
    else:
        del tokens[key]
    steps.append({'op': op, 'app_id': app_id, 'device_id': device_id, 'platform': platform, 'order': list(tokens)})

print(json.dumps({
    'about': 'Hand-checked with Debian 12 python3 + python3-httpx 0.23.3 by sylk-semantics.py (see its header).',
    'httpx': httpx.__version__,
    'apns_result_urls': urls,
    'device_order': steps,
}, indent=2))
