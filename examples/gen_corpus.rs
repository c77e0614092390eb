//! Writes a generated benchmark site: `cargo run --release --example gen_corpus -- DIR [ENTRIES]`
//! (10,000 entries by default, 200 partners, 40 topics, 20 years, ~600 words each).

mod corpus;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: gen_corpus DIR [ENTRIES]");
        std::process::exit(2);
    };
    let mut corpus = corpus::Corpus::default();
    if let Some(n) = args.next() {
        corpus.entries = n.parse().expect("ENTRIES is a number");
    }
    let dir = std::path::PathBuf::from(dir);
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        eprintln!("error: `{}` exists and is not empty", dir.display());
        std::process::exit(1);
    }
    corpus.write(&dir).expect("cannot write the corpus");
    println!("Wrote {} entries to {}", corpus.entries, dir.display());
}
