//! Print the time expressions of a sentence: `time_debug DATE "TEXT"`.

fn main() {
    let mut args = std::env::args().skip(1);
    let date = args.next().unwrap_or_default();
    for text in args {
        for f in newsgraph_extract::time::normalize_text(&text, Some(&date)) {
            println!("{:?}\t{}\t{:?}\t{}", f.text, f.time_type, f.value, f.rule);
        }
    }
}
