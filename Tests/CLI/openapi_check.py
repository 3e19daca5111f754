"""Schemathesis hooks for Tests/CLI/openapi-check.sh: sign what the nodes verify.

Generated from the schema alone, every write to a node is a SignedEnvelope whose signature does
not verify, so it is refused at the first check (400/401) and the code behind it never runs.
These hooks replace most generated bodies of the signed operations (those with `x-signed-payload`
in openapi.yaml) with envelopes that are really signed (Ed25519 over `"zkml/<kind>/v1" || 0x00 ||
payload`), over payloads that are valid, nearly valid or broken in one place: wrong types,
missing fields, stale or absurd times, unknown models, odd inputs, replays, other signers. For the
full node they build registrations that pass every check (the client's signed request, and a
receipt and attestation signed with the pinned inference node's key) or fail exactly one, and
submit the real proof of the example input, or broken ones, for them, so that settlement, expiry
and the log are exercised too. GET path parameters are sometimes ids that exist.

Hypothesis draws the wild values (text, floats, bytes); a `random.Random` makes the weighted
choices (which field to break, which mode, which signer...), seeded from os.urandom: inside
schemathesis, Hypothesis repeats the same few choices over and over, so a Hypothesis-drawn seed
gives a poor mix. A failure is reproduced from the request schemathesis prints (curl); with
ZKML_OA_DETERMINISTIC=1 the seed is Hypothesis's (reproducible by --seed, less varied). Nonces,
message ids and idempotency keys always come from os.urandom: a replayed or shrunk case must
not be refused as a replay.

Loaded by schemathesis through SCHEMATHESIS_HOOKS; configured by the environment variables that
openapi-check.sh sets (ZKML_OA_*; without them the signed writes use a random client key and skip
what needs the nodes' keys or a proof).

`python3 openapi_check.py summary REPORT_DIR` prints the status codes (and error codes) each
operation answered, from the HAR report of a run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import struct
import threading
import time

import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import strategies as st

ENV = os.environ


# ---------------------------------------------------------------------------- protocol helpers


def node_hash(domain: str, data: bytes) -> str:
    """NodeHash.hash: BLAKE2b-256(domain || 0x00 || data), hex."""
    return hashlib.blake2b(domain.encode() + b"\0" + data, digest_size=32).hexdigest()


def output_hash(integers: list[int]) -> str:
    return node_hash("zkml/output-integers/v1", b"".join(struct.pack("<q", v) for v in integers))


def now_ms() -> int:
    return int(time.time() * 1000)


class Key:
    def __init__(self, seed_hex: str):
        self.private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
        self.raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.hex = self.raw.hex()

    @staticmethod
    def fresh() -> "Key":
        return Key(os.urandom(32).hex())


def seal(payload: bytes, kind: str, key: Key) -> dict:
    signature = key.private.sign(f"zkml/{kind}/v1".encode() + b"\0" + payload)
    return {"signer": key.hex, "payload": base64.b64encode(payload).decode(), "signature": signature.hex()}


def encode(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode()


def payload_hash(envelope: dict) -> str:
    return node_hash("zkml/payload/v1", base64.b64decode(envelope["payload"]))


def request_id(client: Key, idempotency_key: str) -> str:
    return node_hash("zkml/request-id/v1", client.raw + idempotency_key.encode())


def fresh_hex(n_bytes: int) -> str:
    return os.urandom(n_bytes).hex()


# ---------------------------------------------------------------------------- configuration

CLIENT = Key(ENV.get("ZKML_OA_CLIENT_SEED") or os.urandom(32).hex())  # a client, and the owner of MODEL_NAME
PEER = Key(ENV["ZKML_OA_PEER_SEED"]) if ENV.get("ZKML_OA_PEER_SEED") else None  # the pinned inference node
FULL_KEY = ENV.get("ZKML_OA_FULL_KEY", "")  # the full node's public key (node-message recipient)
MODEL_NAME = ENV.get("ZKML_OA_MODEL_NAME", "skl")
MODEL_VERSION = ENV.get("ZKML_OA_MODEL_VERSION", "1.0")
MODEL_REF = f"{MODEL_NAME}@{MODEL_VERSION}"
MODEL_ID = ENV.get("ZKML_OA_MODEL_ID", "0" * 64)
ONNX_BLOB = ENV.get("ZKML_OA_ONNX_BLOB", "")
CALIBRATION_BLOB = ENV.get("ZKML_OA_CALIBRATION_BLOB", "")
VK_HASH = ENV.get("ZKML_OA_VK_HASH", "0" * 64)
BITS = int(ENV.get("ZKML_OA_BITS", "8"))
# `zkml prove --json` of INPUT (input_hash, output_integers): what a valid receipt carries.
PROVE = json.loads(open(ENV["ZKML_OA_PROVE_JSON"]).read()) if ENV.get("ZKML_OA_PROVE_JSON") else None
INPUT: list[float] = (
    json.loads(open(ENV["ZKML_OA_INPUT"]).read())["input_data"][0] if ENV.get("ZKML_OA_INPUT") else [0.0] * 64
)
PROOF_B64 = base64.b64encode(open(ENV.get("ZKML_OA_PROOF") or PROVE["proof"], "rb").read()).decode() if PROVE else ""
FULL_NODE_READY = PEER is not None and PROVE is not None and bool(FULL_KEY)

# What the nodes answered, to aim later cases at: request ids, and infer envelopes answered 201
# (sent again, they must get the first answer: 200, `replayed`).
_lock = threading.Lock()
KNOWN_REQUESTS: list[str] = [r for r in ENV.get("ZKML_OA_REQUEST_IDS", "").split(",") if r]
ANSWERED_INFER: list[dict] = []


def remember(items: list, item, keep: int = 200) -> None:
    with _lock:
        if item not in items:
            items.append(item)
            del items[:-keep]


def one_known(rng: random.Random, items: list, fallback):
    with _lock:
        return rng.choice(items) if items else fallback


# ---------------------------------------------------------------------------- choices


def weighted(rng: random.Random, *options):
    """`weighted(rng, (3, a), (1, b))`: a three times in four; callables are called."""
    total = sum(w for w, _ in options)
    x = rng.uniform(0, total)
    for w, value in options:
        x -= w
        if x <= 0:
            return value() if callable(value) else value
    value = options[-1][1]
    return value() if callable(value) else value


ODD_VALUES = [None, "", "x", 0, -1, 1.5, True, [], {}, "0" * 65, 2**64]


def floats32() -> st.SearchStrategy[float]:
    return st.floats(width=32, allow_nan=False, allow_infinity=False)


# Drawn by Hypothesis for every case: the seed of the choices, and raw material for wild values.
DRAW = st.fixed_dictionaries({
    "seed": st.integers(0, 2**64 - 1),
    "text": st.text(max_size=80),
    "floats": st.lists(floats32(), max_size=72),
    "doubles": st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=70),
    "integers": st.lists(st.integers(-(2**70), 2**70), max_size=70),
    "bytes": st.binary(max_size=64),
})


DETERMINISTIC = ENV.get("ZKML_OA_DETERMINISTIC") == "1"


class Draw:
    def __init__(self, raw: dict):
        self.rng = random.Random(raw["seed"] if DETERMINISTIC else os.urandom(16))
        self.raw = raw

    def timestamp(self) -> int:
        """Mostly now (at draw time, so a replayed case is fresh again), sometimes near the edge of
        the five-minute window, outside it, or absurd."""
        rng = self.rng
        return weighted(
            rng,
            (75, lambda: now_ms()),
            (10, lambda: now_ms() + rng.randint(-290_000, 290_000)),
            (8, lambda: now_ms() + rng.choice([-310_000, 310_000, -3_600_000, 86_400_000])),
            (7, lambda: rng.choice([0, -1, 2**63 - 1, -(2**63), 2**63, 2**64, 10**30])),
        )

    def odd(self):
        return self.rng.choice(ODD_VALUES + [self.raw["text"]])

    def broken(self, value: dict, chance: float = 0.15):
        """The object, or (`chance`) with one field dropped, retyped, or one added."""
        rng = self.rng
        if not isinstance(value, dict) or not value or rng.random() >= chance:
            return value
        key = rng.choice(sorted(value))
        how = rng.choice(["drop", "retype", "add"])
        if how == "drop":
            return {k: v for k, v in value.items() if k != key}
        if how == "retype":
            return {**value, key: self.odd()}
        return {**value, "unexpected_field": self.odd()}

    def payload(self, value) -> bytes:
        """JSON of the message, or (rarely) bytes that are not the message at all."""
        return weighted(
            self.rng,
            (94, lambda: encode(value)),
            (3, lambda: self.rng.choice([b"", b"null", b"[]", b"{}", b"{", b"\xff\xfe", b'"text"'])),
            (3, lambda: self.raw["bytes"]),
        )

    def envelope(self, payload: bytes, kind: str, signer: Key) -> dict:
        """Sealed by `signer`, or (rarely) for another kind, with a damaged signature, naming another
        signer, or in upper-case hex (which the nodes accept)."""
        how = weighted(self.rng, (84, "ok"), (4, "wrong-kind"), (4, "bad-signature"), (4, "other-signer"), (4, "upper-case"))
        if how == "wrong-kind":
            return seal(payload, "receipt" if kind != "receipt" else "attestation", signer)
        env = seal(payload, kind, signer)
        if how == "bad-signature":
            signature = bytearray(bytes.fromhex(env["signature"]))
            signature[self.rng.randrange(len(signature))] ^= 1 << self.rng.randrange(8)
            env["signature"] = signature.hex()
        elif how == "other-signer":
            env["signer"] = Key.fresh().hex
        elif how == "upper-case":
            env["signer"], env["signature"] = env["signer"].upper(), env["signature"].upper()
        return env

    def signer(self, usual: Key, usual_weight: int = 85) -> Key:
        return weighted(self.rng, (usual_weight, usual), (100 - usual_weight, Key.fresh))

    # ------------------------------------------------------------------ payloads

    def model_input(self) -> list:
        rng, n = self.rng, len(INPUT)
        return weighted(
            rng,
            (30, lambda: list(INPUT)),
            (20, lambda: [rng.uniform(-10, 10) for _ in range(n)]),
            (10, lambda: (self.raw["floats"] * n)[:n] if self.raw["floats"] else [0.0] * n),
            (8, lambda: [rng.choice([3.4028234663852886e38, -3.4028234663852886e38, 1e-45, 0.0, -0.0]) for _ in range(n)]),
            (12, lambda: list(self.raw["floats"])),  # any length
            (8, lambda: (self.raw["doubles"] * n)[:n]),  # doubles, some beyond Float
            (6, lambda: (self.raw["integers"] * n)[:n] if self.raw["integers"] else []),
            (3, lambda: []),
            (3, lambda: list(INPUT) * 2),
        )

    def idempotency_key(self) -> str:
        return weighted(
            self.rng,
            (80, lambda: fresh_hex(16)),
            (8, lambda: self.raw["text"] + fresh_hex(4)),
            (12, lambda: self.rng.choice(["", "k" * 128, "k" * 129, "é" * 64, "é" * 65])),
        )

    def inference_request(self) -> dict:
        rng = self.rng
        return self.broken({
            "model": weighted(
                rng, (60, MODEL_REF), (15, MODEL_ID), (5, MODEL_ID.upper()), (10, self.raw["text"]),
                (10, lambda: rng.choice([f"{MODEL_NAME}@9.9", "nope@1.0", MODEL_REF.upper(), "", f"{MODEL_NAME}@01.0", "0" * 64, MODEL_NAME])),
            ),
            "mode": weighted(rng, (30, "zkml"), (30, "tee"), (30, "vanilla"), (10, lambda: rng.choice(["ZKML", "other", ""]))),
            "input": self.model_input(),
            "idempotency_key": self.idempotency_key(),
            "allow_downgrade": rng.random() < 0.4,
            "issued_at": self.timestamp(),
        })

    def create_model_request(self) -> dict:
        rng = self.rng
        name = weighted(
            rng,
            (50, lambda: "m" + fresh_hex(4)),
            (20, lambda: rng.choice([MODEL_NAME, "a" * 64, "a" * 65, "A", "-x", "ok.name_2-x", "ü", ""])),
            (30, lambda: self.raw["text"]),
        )
        return self.broken({
            "action": weighted(rng, (90, "create"), (10, lambda: rng.choice(["release", "CREATE", ""]))),
            "name": name,
            "description": weighted(rng, (80, lambda: self.raw["text"]), (10, "d" * 4096), (10, "d" * 4097)),
            "issued_at": self.timestamp(),
            "nonce": weighted(rng, (90, lambda: fresh_hex(16)), (10, lambda: self.raw["text"])),
        })

    def release_request(self, name: str) -> dict:
        rng = self.rng
        version = weighted(
            rng,
            (60, lambda: f"{rng.randint(2, 99999)}.{rng.randint(0, 99999)}"),
            (20, MODEL_VERSION),
            (20, lambda: rng.choice(["1", "1.0.0", "01.0", "100000.0", "a.b", "", self.raw["text"]])),
        )
        # Other bits than BITS with the real blobs cost a compile and setup on the node: rare.
        bits = weighted(rng, (80, BITS), (12, lambda: rng.choice([0, 1, 17, -1, 2**40])), (8, 10))
        return self.broken({
            "action": weighted(rng, (92, "release"), (8, "create")),
            "name": weighted(rng, (90, name), (10, lambda: self.raw["text"])),
            "version": version,
            "onnx_blob": weighted(rng, (75, ONNX_BLOB), (10, lambda: fresh_hex(32)), (5, ONNX_BLOB.upper()), (10, lambda: self.raw["text"])),
            "settings": self.broken({
                "calibration_blob": weighted(rng, (80, CALIBRATION_BLOB), (10, lambda: fresh_hex(32)), (10, ONNX_BLOB)),
                "bits": bits,
            }),
            "verification_key_hash": weighted(rng, (75, VK_HASH), (25, lambda: fresh_hex(32))),
            "issued_at": self.timestamp(),
            "nonce": weighted(rng, (90, lambda: fresh_hex(16)), (10, lambda: self.raw["text"])),
        })

    def node_message(self, body: dict) -> dict:
        rng = self.rng
        return self.broken({
            "message_id": weighted(rng, (85, lambda: fresh_hex(16)), (10, lambda: self.raw["text"]), (5, lambda: rng.choice(["", "m" * 129]))),
            "recipient": weighted(rng, (90, FULL_KEY), (10, lambda: fresh_hex(32))),
            "sent_at": self.timestamp(),
            "nonce": weighted(rng, (90, lambda: fresh_hex(16)), (5, lambda: self.raw["text"]), (5, lambda: fresh_hex(15))),
            "body": body,
        })

    def registration(self) -> dict:
        """A registration as the inference node sends it, consistent (the real input, input hash and
        output of PROVE) or, half of the time, off in exactly one field."""
        rng = self.rng
        fields = ["request_id", "client_request_hash", "client", "inference_node", "model_id", "input_hash", "output_hash",
                  "output_integers", "mode", "requested_mode", "downgraded", "proof_deadline", "attestation"]
        return make_registration(
            mode=weighted(rng, (60, "zkml"), (20, "vanilla"), (20, "tee")),
            key=fresh_hex(16),
            deadline_s=weighted(rng, (70, 60), (20, 1), (10, 0)),  # 1: expires during the run; 0: refused
            downgrade=rng.random() < 0.15,
            perturb=rng.choice(fields) if rng.random() < 0.5 else None,
            junk=weighted(rng, (50, lambda: fresh_hex(32)), (50, self.odd)),
        )

    def proof_submission(self) -> dict:
        rng = self.rng
        return {
            "request_id": weighted(rng, (70, lambda: one_known(rng, KNOWN_REQUESTS, fresh_hex(32))), (20, lambda: fresh_hex(32)), (10, lambda: self.raw["text"])),
            "model_id": weighted(rng, (85, MODEL_ID), (15, lambda: fresh_hex(32))),
            "proof": weighted(
                rng, (50, PROOF_B64), (25, lambda: base64.b64encode(self.raw["bytes"]).decode()),
                (10, "%%% not base64"), (15, lambda: PROOF_B64[: rng.randrange(max(1, len(PROOF_B64)))]),
            ),
        }


def make_registration(mode: str, key: str, deadline_s: float, downgrade: bool, perturb: str | None, junk) -> dict:
    """The client's signed request and the receipt (and for tee the attestation) signed with the
    inference node's key, consistent unless `perturb` names a field to set to `junk`."""
    assert PEER is not None and PROVE is not None
    issued = now_ms()
    requested = "zkml" if downgrade else mode
    request = {"model": MODEL_REF, "mode": requested, "input": INPUT, "idempotency_key": key,
               "allow_downgrade": downgrade, "issued_at": issued}
    client_env = seal(encode(request), "inference-request", CLIENT)
    ints = list(PROVE["output_integers"])
    receipt = {
        "request_id": request_id(CLIENT, key), "client_request_hash": payload_hash(client_env), "client": CLIENT.hex,
        "inference_node": PEER.hex, "model_id": MODEL_ID, "model_reference": MODEL_REF,
        "input_hash": PROVE["input_hash"], "output_hash": output_hash(ints), "output_integers": ints,
        "mode": "vanilla" if downgrade else mode, "requested_mode": requested, "downgraded": downgrade, "issued_at": issued,
    }
    if receipt["mode"] == "zkml":
        receipt["proof_deadline"] = issued + int(deadline_s * 1000)
    if perturb == "output_integers":
        receipt[perturb] = [v + 1 for v in ints]
    elif perturb is not None and perturb != "attestation":
        receipt[perturb] = junk
    body = {"client_request": client_env, "receipt": seal(encode(receipt), "receipt", PEER)}
    if receipt["mode"] == "tee" and perturb != "attestation":
        body["attestation"] = seal(encode({
            "request_id": receipt["request_id"], "model_id": MODEL_ID, "input_hash": PROVE["input_hash"],
            "output_hash": receipt["output_hash"], "measurement": "simulated:node-key", "issued_at": issued,
        }), "attestation", PEER)
    return body


# ---------------------------------------------------------------------------- the hooks


def signed_body(d: Draw, method: str, path: str, case) -> dict | None:
    """A signed body for the operation, or None to keep the one generated from the schema."""
    rng = d.rng
    if method != "POST" or rng.random() < 0.2:  # one case in five stays unsigned (refused at the envelope)
        return None
    if path == "/v1/infer":
        replay = one_known(rng, ANSWERED_INFER, None) if rng.random() < 0.1 else None
        return dict(replay) if replay else d.envelope(d.payload(d.inference_request()), "inference-request", d.signer(CLIENT, 70))
    if path == "/v1/models":
        return d.envelope(d.payload(d.create_model_request()), "hub-write", d.signer(CLIENT, 70))
    if path == "/v1/models/{name}/releases":
        name = (case.path_parameters or {}).get("name", MODEL_NAME)
        return d.envelope(d.payload(d.release_request(name)), "hub-write", d.signer(CLIENT))
    if FULL_NODE_READY and path == "/v1/receipts":
        return d.envelope(d.payload(d.node_message(d.registration())), "node-message", d.signer(PEER, 92))
    if FULL_NODE_READY and path == "/v1/proofs":
        return d.envelope(d.payload(d.node_message(d.proof_submission())), "node-message", d.signer(PEER, 92))
    return None


def known_path_parameters(d: Draw, method: str, path: str) -> dict | None:
    """Path parameters that name something that exists (half of the time), or None."""
    rng = d.rng
    if rng.random() < 0.5:
        return None
    if method == "GET" and path in ("/v1/results/{id}", "/v1/requests/{id}"):
        return {"id": one_known(rng, KNOWN_REQUESTS, fresh_hex(32))}
    if method == "GET" and path == "/v1/blobs/{id}" and ONNX_BLOB:
        return {"id": rng.choice([ONNX_BLOB, CALIBRATION_BLOB])}
    if path in ("/v1/models/{name}", "/v1/models/{name}/releases"):
        return {"name": MODEL_NAME}
    if path == "/v1/models/{name}/releases/{version}":
        return {"name": MODEL_NAME, "version": MODEL_VERSION}
    return None


@schemathesis.hook
def flatmap_case(context, case):
    method, path = case.operation.method.upper(), case.operation.path

    def apply(raw):
        d = Draw(raw)
        known = known_path_parameters(d, method, path)
        if known:
            case.path_parameters = {**(case.path_parameters or {}), **known}
        body = signed_body(d, method, path, case)
        if body is not None:
            case.body = body
            case.media_type = "application/json"
        return case

    return DRAW.map(apply)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """`/readyz` answers 503 by design when the node is not ready (the inference node's proof queue
    at its bound, which the fuzzer's zkml requests reach): not a server error when the body says
    `not_ready`. Every other 5xx stays a failure."""
    if getattr(failure, "code", None) == "ST101" and case.operation.path == "/readyz" and response.status_code == 503:
        try:
            return response.json().get("status") != "not_ready"
        except Exception:  # noqa: BLE001 - a body that is not JSON: keep the failure
            return True
    return True


@schemathesis.hook
def after_call(context, case, response):
    """Remember the request ids the nodes answered for, and the infer envelopes they accepted."""
    if response.status_code not in (200, 201) or case.operation.method.upper() != "POST":
        return
    if case.operation.path in ("/v1/infer", "/v1/receipts", "/v1/proofs"):
        try:
            rid = response.json().get("request_id")
        except Exception:  # noqa: BLE001 - a body that is not JSON is the schema checks' business
            return
        if isinstance(rid, str):
            remember(KNOWN_REQUESTS, rid)
        if case.operation.path == "/v1/infer" and response.status_code == 201 and isinstance(case.body, dict):
            remember(ANSWERED_INFER, dict(case.body), keep=50)


# ---------------------------------------------------------------------------- summary of a run


def summary(report_dir: str) -> None:
    """Status codes per operation from the run's HAR report (requests to paths or methods the
    node does not serve, which schemathesis probes once each, are left out)."""
    import collections
    import re

    hars = sorted(f for f in os.listdir(report_dir) if f.startswith("har") and f.endswith(".json"))
    if not hars:
        print("  (no HAR report)")
        return
    try:
        entries = json.load(open(os.path.join(report_dir, hars[-1])))["log"]["entries"]
    except (OSError, ValueError, KeyError) as error:  # a run cut short leaves a truncated report
        print(f"  (HAR report unreadable: {error})")
        return
    patterns = [
        (r"^/v1/models/[^/]+/releases/[^/]+$", "/v1/models/{name}/releases/{version}"),
        (r"^/v1/models/[^/]+/releases$", "/v1/models/{name}/releases"),
        (r"^/v1/(results|requests|blobs)/[^/]+$", r"/v1/\1/{id}"),
        (r"^/v1/models/[^/]+$", "/v1/models/{name}"),
    ]
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in entries:
        path = "/" + entry["request"]["url"].split("?")[0].split("/", 3)[-1]
        for pattern, name in patterns:
            if re.match(pattern, path):
                path = re.sub(pattern, name, path)
                break
        status = entry["response"]["status"]
        code = None
        try:
            code = json.loads(entry["response"]["content"].get("text") or "null")["error"]["code"]
        except Exception:  # noqa: BLE001 - not an error body
            pass
        counts[f"{entry['request']['method']} {path}"][f"{status} {code}" if code else str(status)] += 1
    print(f"  {len(entries)} requests; answers per operation:")
    for operation in sorted(counts):
        answers = counts[operation]
        if {a.split()[0] for a in answers} <= {"404", "405"} and sum(answers.values()) <= 2:
            continue
        print(f"    {operation}: " + ", ".join(f"{a} x{n}" for a, n in answers.most_common()))


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "summary":
        summary(sys.argv[2])
    else:
        sys.exit("usage: openapi_check.py summary REPORT_DIR (or load it as SCHEMATHESIS_HOOKS)")
