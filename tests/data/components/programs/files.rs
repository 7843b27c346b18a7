// A WASI command in Rust for the component run tests: its arguments and
// one environment variable, a file written, read back and listed in the
// preopened directory /d, stdin counted, and exit status 3.
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    println!("args: {:?}", args);
    println!("WHO={}", std::env::var("WHO").unwrap_or_else(|_| "(unset)".to_string()));
    std::fs::write("/d/from-rust.txt", b"written by rust\n").expect("write");
    let back = std::fs::read_to_string("/d/from-rust.txt").expect("read");
    print!("read back: {}", back);
    let mut names: Vec<String> = std::fs::read_dir("/d")
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("listing: {:?}", names);
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    println!("stdin bytes: {}", input.len());
    eprintln!("to stderr from rust");
    std::process::exit(3);
}
