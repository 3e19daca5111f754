"""Prints signed envelopes for the abuse checks of node-tests.sh (what a hostile peer could send).

  sign_node_message.py KEY_FILE RECIPIENT_HEX [--stale]
      a NodeMessage<Registration> with an empty registration, signed by KEY_FILE, addressed to
      RECIPIENT_HEX; --stale dates it an hour back.
  sign_node_message.py KEY_FILE --release NAME VERSION ONNX_BLOB CALIBRATION_BLOB
      a hub release whose verification-key hash is not the model's."""
import base64, json, os, sys, time
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

key = json.load(open(sys.argv[1]))
private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key['seed']))
now = int(time.time() * 1000)
if sys.argv[2] == '--release':
    name, version, onnx, calibration = sys.argv[3:7]
    kind = 'hub-write'
    message = {'action': 'release', 'name': name, 'version': version, 'onnx_blob': onnx,
               'settings': {'calibration_blob': calibration, 'bits': 8}, 'verification_key_hash': 'ab' * 32,
               'issued_at': now, 'nonce': os.urandom(16).hex()}
else:
    kind = 'node-message'
    message = {'message_id': 'abuse-' + os.urandom(4).hex(), 'recipient': sys.argv[2],
               'sent_at': now - (3_600_000 if '--stale' in sys.argv else 0), 'nonce': os.urandom(16).hex(),
               'body': {'client_request': {'signer': '', 'payload': '', 'signature': ''},
                        'receipt': {'signer': '', 'payload': '', 'signature': ''}}}
payload = json.dumps(message, sort_keys=True, separators=(',', ':')).encode()
signature = private.sign(b'zkml/' + kind.encode() + b'/v1\x00' + payload)
print(json.dumps({'signer': key['public_key'], 'payload': base64.b64encode(payload).decode(), 'signature': signature.hex()}))
