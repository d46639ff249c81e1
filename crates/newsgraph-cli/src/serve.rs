//! `newsgraph serve`: the JSON API and web UI over a store (read-only).

use anyhow::{bail, Context, Result};
use clap::Args;
use newsgraph_server::{app, ServerOptions};
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store: a SQLite file (opened read-only).
    #[arg(long, default_value = "newsgraph.db")]
    db: String,
    /// Address to listen on; the default is loopback only. Another address
    /// exposes the store to the network: set a token then.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on every API request. Prefer
    /// the NEWSGRAPH_TOKEN environment variable: a flag shows in `ps`.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Largest article `POST /api/extract` accepts, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    max_extract_bytes: usize,
    /// Store connections (concurrent queries); default: the number of cores, 2 to 8.
    #[arg(long)]
    connections: Option<usize>,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    if !args.db.contains("://") && !Path::new(&args.db).exists() {
        bail!(
            "database `{}` does not exist\nhint: create it with `newsgraph ingest PATH... --db {}`",
            args.db,
            args.db
        );
    }
    let mut options = ServerOptions {
        max_extract_bytes: args.max_extract_bytes,
        ..ServerOptions::default()
    };
    options.token = args
        .token
        .clone()
        .or_else(|| std::env::var("NEWSGRAPH_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    let protected = options.token.is_some();
    if let Some(n) = args.connections {
        options.pool_size = n.max(1);
    }
    let db = args.db.clone();
    let router = app(
        Box::new(move || newsgraph_store::open_store_read_only(&db)),
        options,
    )?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() && !protected {
            eprintln!(
                "newsgraph: warning: listening on {addr}, reachable from other machines, with no token; set NEWSGRAPH_TOKEN (or --token) to require one"
            );
        }
        eprintln!(
            "newsgraph: serving {} (read-only{}) at http://{addr}/ — Ctrl-C stops",
            args.db,
            if protected { ", token required" } else { "" }
        );
        newsgraph_server::serve(listener, router)
            .await
            .context("the server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
