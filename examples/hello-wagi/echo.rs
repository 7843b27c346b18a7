// The `echo` component of examples/hello-wagi: a WAGI handler in Rust (std
// only, no crates; Debian's rustc 1.63 builds it offline with
// `rustc --edition 2021 -O --target wasm32-wasi echo.rs -o echo.wasm`).
//
// It answers application/json describing the request as the guest saw it:
// method, path info, query string, argv, every environment variable (the
// CGI/1.1 and Spin variables, HTTP_* headers, the component's own
// `environment`), and the body's length and FNV-1a 64 hash (offset basis
// 0xcbf29ce484222325, prime 0x100000001b3; lower-case hex, 16 digits), so a
// test can check that a body arrived whole without echoing it back.
use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::io::{self, Read, Write};

fn fnv1a64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A JSON string literal (RFC 8259): quotes, backslashes and control
/// characters escaped; everything else kept as UTF-8.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn var(name: &str) -> String {
    // A value that is not UTF-8 is shown lossily rather than dropped.
    env::var_os(name).map(|v| v.to_string_lossy().into_owned()).unwrap_or_default()
}

fn main() {
    let mut body = Vec::new();
    let body_error = io::stdin().read_to_end(&mut body).err();

    let vars: BTreeMap<String, String> = env::vars_os()
        .map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned()))
        .collect();
    let args: Vec<String> = env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();

    let mut json = String::with_capacity(2048);
    json.push_str("{\n  \"method\": ");
    json_str(&mut json, &var("REQUEST_METHOD"));
    json.push_str(",\n  \"path_info\": ");
    json_str(&mut json, &var("PATH_INFO"));
    json.push_str(",\n  \"query\": ");
    json_str(&mut json, &var("QUERY_STRING"));
    json.push_str(",\n  \"args\": [");
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            json.push_str(", ");
        }
        json_str(&mut json, a);
    }
    json.push_str("],\n  \"env\": {");
    for (i, (k, v)) in vars.iter().enumerate() {
        json.push_str(if i > 0 { ",\n    " } else { "\n    " });
        json_str(&mut json, k);
        json.push_str(": ");
        json_str(&mut json, v);
    }
    json.push_str(if vars.is_empty() { "},\n" } else { "\n  },\n" });
    let _ = write!(
        json,
        "  \"body\": {{\"length\": {}, \"fnv1a64\": \"{:016x}\"",
        body.len(),
        fnv1a64(&body)
    );
    if let Some(e) = body_error {
        json.push_str(", \"error\": ");
        json_str(&mut json, &e.to_string());
    }
    json.push_str("}\n}\n");

    let mut out = io::stdout().lock();
    let _ = out.write_all(b"Content-Type: application/json\n\n");
    let _ = out.write_all(json.as_bytes());
    let _ = out.flush();
}
