"""Writes Spin-shaped application artifacts into a registry with plain HTTP
(POST/PUT of blobs, PUT of the manifest), independently of wasmops' push
code, after spinframework/spin crates/oci/src/client.rs:

  layout="layer"  (Spin >= 2.0): OCI image config {architecture: wasm, os:
                  wasip1, config.Labels[com.fermyon.spin.lockedAppDigest]},
                  wasm layers application/vnd.wasm.content.layer.v1+wasm,
                  file layers application/vnd.wasm.content.layer.v1+data,
                  the locked app as the last layer
                  (application/vnd.fermyon.spin.application.v1+config);
  layout="config" (Spin < 2.0): the locked app is the config blob, with
                  that media type; wasm layers here use plain
                  application/wasm, which pull also accepts.

Files of at most 128 bytes are inlined (base64 without padding) and get no
layer; wasm keeps its layer. An application is a dict:

  {"name": ..., "version": ..., "variables": {name: {"default": ...}},
   "components": [{"id": ..., "wasm": bytes, "route": "/...",
                   "env": {...}, "files": {"path/in/guest": bytes}}]}
"""
import base64
import hashlib
import json
import urllib.request

SPIN_APP = "application/vnd.fermyon.spin.application.v1+config"
WASM_LAYER = "application/vnd.wasm.content.layer.v1+wasm"
DATA_LAYER = "application/vnd.wasm.content.layer.v1+data"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INLINE_MAX = 128


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def put_blob(host, repo, data):
    digest = digest_of(data)
    req = urllib.request.Request(f"http://{host}/v2/{repo}/blobs/uploads/", method="POST", data=b"")
    with urllib.request.urlopen(req, timeout=10) as r:
        location = r.headers["Location"]
    if location.startswith("/"):
        location = f"http://{host}{location}"
    sep = "&" if "?" in location else "?"
    req = urllib.request.Request(f"{location}{sep}digest={digest}", method="PUT", data=data,
                                 headers={"Content-Type": "application/octet-stream"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 201, r.status
    return digest


def put_manifest(host, repo, tag, data):
    req = urllib.request.Request(f"http://{host}/v2/{repo}/manifests/{tag}", method="PUT", data=data,
                                 headers={"Content-Type": OCI_MANIFEST})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 201, r.status
        return r.headers["Docker-Content-Digest"]


def content_ref(data, inline_ok=True):
    ref = {}
    if len(data) <= INLINE_MAX and inline_ok:
        ref["inline"] = b64(data)
    ref["digest"] = digest_of(data)
    return ref


def locked_app(app):
    """The locked app (dict) and the layers [(media type, bytes)] it needs."""
    layers = []

    def add(media_type, data):
        if (media_type, data) not in layers:
            layers.append((media_type, data))

    triggers, components = [], []
    for c in app["components"]:
        triggers.append({"id": f"{c['id']}-http-trigger", "trigger_type": "http",
                         "trigger_config": {"component": c["id"], "route": c["route"]}})
        comp = {"id": c["id"], "source": {"content_type": "application/wasm", **content_ref(c["wasm"])}}
        add(app.get("wasm_type", WASM_LAYER), c["wasm"])
        if c.get("env"):
            comp["env"] = dict(sorted(c["env"].items()))
        files = []
        for path, data in sorted(c.get("files", {}).items()):
            files.append({**content_ref(data), "path": path})
            if len(data) > INLINE_MAX:
                add(DATA_LAYER, data)
        if files:
            comp["files"] = files
        components.append(comp)
    locked = {"spin_lock_version": 0,
              "metadata": {"name": app["name"], "trigger": {"type": "http"}, "triggers": {},
                           "version": app["version"]}}
    if app.get("variables"):
        locked["variables"] = app["variables"]
    locked["triggers"] = triggers
    locked["components"] = components
    return locked, layers


def assemble(host, repo, tag, app, layout="layer", tamper=None):
    """Pushes `app`; returns (manifest digest, locked app bytes). `tamper`
    may edit the locked app dict before it is serialized."""
    locked, layers = locked_app(app)
    if tamper:
        tamper(locked)
    locked_bytes = json.dumps(locked, separators=(",", ":")).encode()
    descriptors = []
    for media_type, data in layers:
        descriptors.append({"mediaType": media_type, "digest": put_blob(host, repo, data), "size": len(data)})
    if layout == "layer":
        descriptors.append({"mediaType": SPIN_APP, "digest": put_blob(host, repo, locked_bytes),
                            "size": len(locked_bytes)})
        config = json.dumps({"architecture": "wasm", "os": "wasip1",
                             "config": {"Labels": {"com.fermyon.spin.lockedAppDigest": digest_of(locked_bytes)}},
                             "rootfs": {"type": "layers", "diff_ids": []}}, separators=(",", ":")).encode()
        config_type = IMAGE_CONFIG
    else:
        config, config_type = locked_bytes, SPIN_APP
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": {"mediaType": config_type, "digest": put_blob(host, repo, config), "size": len(config)},
                "layers": descriptors}
    return put_manifest(host, repo, tag, json.dumps(manifest).encode()), locked_bytes
