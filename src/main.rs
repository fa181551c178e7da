//! The `safeguard` binary: everything lives in the library; see `safeguard::cli`.

fn main() -> std::process::ExitCode {
    safeguard::cli::main()
}
