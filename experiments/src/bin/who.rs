//! Prints the actors and quotes unspin finds in a text file, one line each: a quick look
//! while working on the analysers.
//!
//! `cargo run -p unspin-experiments --bin who -- FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: who FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let p = unspin::analyse::quote_actor_eval::run::predict(&text);
    for a in &p.actors {
        let mentions: Vec<String> = a
            .mentions
            .iter()
            .map(|m| format!("{}[{:?}]", m.text, m.kind))
            .collect();
        let desc: Vec<&str> = a.descriptors.iter().map(|d| d.text.as_str()).collect();
        println!(
            "{} {:?} {} | {} | {}",
            a.id,
            a.kind,
            a.name,
            mentions.join(", "),
            desc.join(" / ")
        );
    }
    for q in &p.quotes {
        println!(
            "{:?} {:?} cue={:?} speaker={:?} actor={:?} elided={} | {}",
            q.kind,
            q.text,
            q.cue.as_ref().map(|c| &c.text),
            q.speaker.as_ref().map(|s| &s.text),
            q.actor.as_ref().map(|a| &a.name),
            q.elided,
            q.resolution
        );
    }
}
