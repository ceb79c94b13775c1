//! `unspin serve`: the web app and API of `unspin-server`, with settings from the command line.

use std::io;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use unspin::{ModelContext, Options, Pipeline, TechniquesOptions};
use unspin_server::ServerConfig;

use crate::cli::ServeArgs;

/// Loads the models once, then serves until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> io::Result<ExitCode> {
    let seconds = |s: f64, what: &str| {
        if s.is_finite() && s > 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{what} must be a positive number of seconds, not {s}"),
            ))
        }
    };
    let defaults = ServerConfig::default();
    let concurrency = args.concurrency.unwrap_or(defaults.concurrency).max(1);
    let config = ServerConfig {
        addr: args.addr,
        allow_private_urls: args.allow_private_urls,
        max_body: usize::try_from(args.max_body).unwrap_or(usize::MAX),
        concurrency,
        queue: args.queue.unwrap_or(8 * concurrency),
        timeout: seconds(args.timeout, "--timeout")?,
        fetch_timeout: seconds(args.fetch_timeout, "--fetch-timeout")?,
        max_fetch_bytes: args.max_fetch_size,
        max_connections: args.max_connections.max(1),
        header_timeout: seconds(args.header_timeout, "--header-timeout")?,
        body_timeout: seconds(args.body_timeout, "--body-timeout")?,
        ..defaults
    };
    let corpus = match &args.db {
        None => None,
        Some(db) => Some(unspin_server::corpus::Corpus::new(
            crate::corpus::open_existing(db)?,
            db.clone(),
        )),
    };
    let started = Instant::now();
    let pipeline = Pipeline::new(Options {
        techniques: TechniquesOptions {
            model: args.model.model.clone().unwrap_or_default(),
            // The web app and the API analyse one article per request.
            context: ModelContext::Single,
            min_confidence: args.model.min_confidence,
        },
        ..Options::default()
    })
    .map_err(|e| io::Error::other(e.to_string()))?;
    // Load the default model now, not on the first request.
    let warm = unspin::Document::from_text("The models are loaded before the first request.");
    pipeline
        .analyze(&warm)
        .map_err(|e| io::Error::other(e.to_string()))?;
    tracing::info!("models loaded in {} ms", started.elapsed().as_millis());
    unspin_server::run_blocking(config, pipeline, corpus)?;
    Ok(ExitCode::SUCCESS)
}
