//! Evaluation against GUM-style date annotations in CoNLL-U: `XML=<date ...>`
//! open and close tags in the MISC column, anchored on `# meta::dateCreated`.
//!
//! ## How GUM's attributes are scored
//! - Spans: a gold `<date>` span and a predicted expression match when they
//!   overlap (one-to-one, greedy in text order). Predictions of every type count.
//! - Value accuracy is over matched spans whose gold has `when` (a single
//!   date); spans given as `from`/`to` ranges are scored separately
//!   (`range_value_accuracy`), since a TIMEX3 value can express only some
//!   ranges (decades, centuries, weeks, seasons).
//! - Values are compared as calendar intervals, so granularity must agree:
//!   gold `when="2015"` is 2015-01-01..2015-12-31, and matches our "2015" but
//!   not "2015-05"; `from`/`to` give the interval from the start of `from` to
//!   the end of `to` (`from="1990" to="1999"` matches our decade "199";
//!   `from="2012-06" to="2012-09"` matches "2012-SU": seasons are read with
//!   GUM's month ranges SP 03–06, SU 06–09, FA 09–12, WI 12–03).
//!   Our weeks are ISO weeks (Monday–Sunday); BC years "BC0508" are year -508.
//!   Times ("2015-05-12TNI") are compared by their date.
//! - Gold dates without a year (`--03`, `xxxx-04-14`: fiction, generic) match
//!   any year with the same month (and day) range.
//! - Gold spans with only `notBefore`/`notAfter` (or only one of `from`/`to`)
//!   are vague ranges with no single value: they count for recall but not for
//!   value accuracy. Our durations, sets and PAST_REF-style values never equal
//!   an interval, so a matched gold date we typed as a duration counts as a
//!   wrong value.

use super::{recognize, value};
use crate::Error;
use newsgraph_core::conllu::{self, Sentence};
use newsgraph_core::{Doc, DocMeta, TextRange, Upos, Xpos};
use serde::Serialize;

/// Scores of the time normaliser on one annotated file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeEval {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Fraction of matched gold spans with a `when` value whose predicted
    /// value denotes the same interval.
    pub value_accuracy: f64,
    /// The same over matched gold spans given as `from`/`to` ranges
    /// ("the 1990s" = 1990..1999, "this week", seasons).
    pub range_value_accuracy: f64,
    /// Gold `<date>` spans.
    pub gold: usize,
    /// Predicted expressions.
    pub predicted: usize,
    /// Gold spans overlapped by a prediction.
    pub matched: usize,
    /// Matched spans with a gold `when` (the value accuracy's denominator).
    pub values_scored: usize,
    /// Matched spans with gold `from` and `to` (the range value accuracy's denominator).
    pub ranges_scored: usize,
}

/// Options for [`eval_time_with`].
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Give the recogniser the file's gold XPOS tags (the pipeline will have a
    /// tagger's); by default it runs without tags, on the word-list tense fallback.
    pub gold_tags: bool,
    /// Print each gold span and prediction to stderr (for error analysis).
    pub verbose: bool,
}

/// Evaluate on a CoNLL-U file's text with GUM `<date>` annotations, without tags.
pub fn eval_time(conllu: &str) -> Result<TimeEval, Error> {
    eval_time_with(conllu, EvalOptions::default())
}

/// A gold `<date>` span: byte range in the rebuilt text and its attributes.
#[derive(Debug)]
struct GoldDate {
    range: TextRange,
    attrs: Vec<(String, String)>,
}

/// Evaluate with options; see [`eval_time`].
pub fn eval_time_with(conllu: &str, opts: EvalOptions) -> Result<TimeEval, Error> {
    let sentences = conllu::parse(conllu)?;
    let mut docs: Vec<&[Sentence]> = Vec::new();
    let mut start = 0;
    for (i, s) in sentences.iter().enumerate() {
        if s.newdoc && i > start {
            docs.push(&sentences[start..i]);
            start = i;
        }
    }
    if start < sentences.len() {
        docs.push(&sentences[start..]);
    }
    let (mut gold_n, mut pred_n, mut matched) = (0, 0, 0);
    // (scored, correct) for `when` values and for `from`/`to` ranges.
    let mut when = (0, 0);
    let mut range = (0, 0);
    for sents in docs {
        let (mut doc, gold) = build_doc(sents, opts.gold_tags)?;
        let found = recognize(&mut doc);
        gold_n += gold.len();
        pred_n += found.len();
        let mut used = vec![false; found.len()];
        for g in &gold {
            let hit = found.iter().enumerate().position(|(k, f)| {
                !used[k] && f.range.start < g.range.end && g.range.start < f.range.end
            });
            let gold_iv = gold_interval(&g.attrs);
            if opts.verbose {
                let pred = hit.map(|k| &found[k]);
                let ok = match (pred, gold_iv) {
                    (Some(p), Some(iv)) => same(p.value.as_deref(), iv).to_string(),
                    _ => "-".to_string(),
                };
                eprintln!(
                    "{}\t{}\t{:?}\t{:?}\t{:?}\t{ok}",
                    doc.meta.id,
                    doc.slice(g.range),
                    g.attrs,
                    pred.map(|p| (&p.text, &p.value, p.rule)),
                    doc.meta.published,
                );
            }
            let Some(k) = hit else { continue };
            used[k] = true;
            matched += 1;
            if let Some(iv) = gold_iv {
                let has_when = g.attrs.iter().any(|(a, _)| a == "when");
                let tally = if has_when { &mut when } else { &mut range };
                tally.0 += 1;
                if same(found[k].value.as_deref(), iv) {
                    tally.1 += 1;
                }
            }
        }
        if opts.verbose {
            for (k, f) in found.iter().enumerate() {
                if !used[k] {
                    eprintln!(
                        "{}\tFALSE-POSITIVE\t{}\t{:?}\t{}",
                        doc.meta.id, f.text, f.value, f.rule
                    );
                }
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(matched.min(pred_n), pred_n);
    let recall = ratio(matched, gold_n);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Ok(TimeEval {
        precision,
        recall,
        f1,
        value_accuracy: ratio(when.1, when.0),
        range_value_accuracy: ratio(range.1, range.0),
        gold: gold_n,
        predicted: pred_n,
        matched,
        values_scored: when.0,
        ranges_scored: range.0,
    })
}

/// Rebuild a document from its gold words: text (spaces from `SpaceAfter`),
/// tokens = words, sentences, optional gold tags, and the gold date spans.
fn build_doc(sents: &[Sentence], gold_tags: bool) -> Result<(Doc, Vec<GoldDate>), Error> {
    let mut text = String::new();
    let mut tokens = Vec::new();
    let mut sent_ranges = Vec::new();
    let mut tags = Vec::new();
    let mut gold = Vec::new();
    let mut open: Vec<(usize, Vec<(String, String)>)> = Vec::new();
    let published = sents.iter().flat_map(|s| s.comments.iter()).find_map(|c| {
        c.strip_prefix("meta::dateCreated")
            .map(|v| v.trim_start_matches([' ', '=']).trim().to_string())
    });
    let id = sents
        .first()
        .and_then(|s| s.doc_id.clone())
        .unwrap_or_default();
    for s in sents {
        if !text.is_empty() {
            text.push_str(if s.newpar { "\n\n" } else { " " });
        }
        let first = tokens.len() as u32;
        // Words inside a multi-word token are glued together.
        let mut glued = vec![false; s.words.len()];
        for m in &s.multiword {
            for w in m.first..m.last {
                if let Some(i) = s.words.iter().position(|x| x.id == w) {
                    glued[i] = true;
                }
            }
        }
        for (i, w) in s.words.iter().enumerate() {
            let start = text.len();
            text.push_str(&w.form);
            let range = TextRange::new(start, text.len());
            tokens.push(range);
            if gold_tags {
                tags.push((
                    Upos::from_str(&w.upos).unwrap_or(Upos::X),
                    Xpos::from_str(&w.xpos).unwrap_or(Xpos::Xx),
                ));
            }
            read_xml(&w.misc, tokens.len() - 1, &tokens, &mut open, &mut gold);
            if i + 1 < s.words.len() && !glued[i] && s.space_after(i) {
                text.push(' ');
            }
        }
        sent_ranges.push(first..tokens.len() as u32);
    }
    let meta = DocMeta {
        id: id.clone(),
        published,
        language: "en".into(),
        ..DocMeta::default()
    };
    let mut doc = Doc::new(text, meta);
    let bad = |e: newsgraph_core::doc::LayerError| Error::Data(format!("document `{id}`: {e}"));
    doc.set_tokens(tokens).map_err(bad)?;
    doc.set_sentences(&sent_ranges).map_err(bad)?;
    if gold_tags {
        doc.set_tags(tags).map_err(bad)?;
    }
    Ok((doc, gold))
}

/// Read the `XML=` field of a MISC column: `<date ...>` opens a span at this
/// word, `</date>` closes the innermost open one after it.
fn read_xml(
    misc: &str,
    word: usize,
    tokens: &[TextRange],
    open: &mut Vec<(usize, Vec<(String, String)>)>,
    gold: &mut Vec<GoldDate>,
) {
    let Some(xml) = misc.split('|').find_map(|f| f.strip_prefix("XML=")) else {
        return;
    };
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(attrs) = tag.strip_prefix("date") {
            if attrs.is_empty() || attrs.starts_with(' ') {
                open.push((word, parse_attrs(attrs)));
            }
        } else if tag == "/date" {
            if let Some((start, attrs)) = open.pop() {
                gold.push(GoldDate {
                    range: tokens[start].cover(tokens[word]),
                    attrs,
                });
            }
        }
    }
}

/// `when:::"2015" rend:::"bold"` → [("when","2015"), ("rend","bold")].
fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some((k, v)) = rest.split_once(":::\"") {
        let Some(end) = v.find('"') else { break };
        out.push((k.trim().to_string(), v[..end].to_string()));
        rest = v[end + 1..].trim_start();
    }
    out
}

/// A day as (year, month, day); year 0 with `yearless` for "--03" style dates.
type Ymd = (i32, i8, i8);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    start: Ymd,
    end: Ymd,
    yearless: bool,
}

fn days_in_month(y: i32, m: i8) -> i8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// GUM date strings: "2015", "2015-06", "2015-06-30", "-0508", "--03", "xxxx-04-14", "1830-1-1".
fn gum_date(s: &str) -> Option<Interval> {
    let (yearless, body) = if let Some(r) = s.strip_prefix("--") {
        (true, format!("0000-{r}"))
    } else if let Some(r) = s.strip_prefix("xxxx-").or_else(|| s.strip_prefix("XXXX-")) {
        (true, format!("0000-{r}"))
    } else {
        (false, s.to_string())
    };
    let (neg, body) = match body.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, body),
    };
    let mut it = body.split('-');
    let y: i32 = it.next()?.parse().ok()?;
    let y = if neg { -y } else { y };
    let m: Option<i8> = match it.next() {
        Some(m) => Some(m.parse().ok()?),
        None => None,
    };
    let d: Option<i8> = match it.next() {
        Some(d) => Some(d.parse().ok()?),
        None => None,
    };
    let iv = match (m, d) {
        (None, _) => Interval {
            start: (y, 1, 1),
            end: (y, 12, 31),
            yearless,
        },
        (Some(m), None) => Interval {
            start: (y, m, 1),
            end: (y, m, days_in_month(y, m)),
            yearless,
        },
        (Some(m), Some(d)) => Interval {
            start: (y, m, d),
            end: (y, m, d),
            yearless,
        },
    };
    Some(iv)
}

/// The interval a gold annotation denotes, when it has a single value.
fn gold_interval(attrs: &[(String, String)]) -> Option<Interval> {
    let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    if let Some(w) = get("when") {
        return gum_date(w);
    }
    let from = gum_date(get("from")?)?;
    let to = gum_date(get("to")?)?;
    Some(Interval {
        start: from.start,
        end: to.end,
        yearless: from.yearless || to.yearless,
    })
}

/// The interval one of our TIMEX3 values denotes; `None` for durations, sets, refs.
fn timex_interval(v: &str) -> Option<Interval> {
    let v = v.split('T').next()?;
    let (neg, v) = match v.strip_prefix("BC") {
        Some(r) => (true, r),
        None => (false, v),
    };
    let mut parts = v.split('-');
    let ys = parts.next()?;
    if !ys.bytes().all(|b| b.is_ascii_digit()) || ys.is_empty() {
        return None;
    }
    let n: i32 = ys.parse().ok()?;
    let sign = if neg { -1 } else { 1 };
    let whole = |a: i32, b: i32| Interval {
        start: (a, 1, 1),
        end: (b, 12, 31),
        yearless: false,
    };
    match ys.len() {
        2 if !neg => return Some(whole(n * 100, n * 100 + 99)),
        3 if !neg => return Some(whole(n * 10, n * 10 + 9)),
        4 => {}
        _ => return None,
    }
    let y = sign * n;
    let Some(second) = parts.next() else {
        return Some(whole(y, y));
    };
    let third = parts.next();
    let month_span = |a: (i32, i8), b: (i32, i8)| Interval {
        start: (a.0, a.1, 1),
        end: (b.0, b.1, days_in_month(b.0, b.1)),
        yearless: false,
    };
    if let Some(w) = second
        .strip_prefix('W')
        .filter(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        let w: i8 = w.parse().ok()?;
        let monday = value::week_start(i16::try_from(y).ok()?, w)?;
        let (s, e) = if third == Some("WE") {
            (
                monday.checked_add(jiff::Span::new().days(5)).ok()?,
                monday.checked_add(jiff::Span::new().days(6)).ok()?,
            )
        } else {
            (monday, monday.checked_add(jiff::Span::new().days(6)).ok()?)
        };
        let ymd = |d: jiff::civil::Date| (d.year() as i32, d.month(), d.day());
        return Some(Interval {
            start: ymd(s),
            end: ymd(e),
            yearless: false,
        });
    }
    if let Some(q) = second.strip_prefix('Q') {
        let q: i8 = q.parse().ok()?;
        return Some(month_span((y, (q - 1) * 3 + 1), (y, q * 3)));
    }
    let season = match second {
        "SP" => Some(((y, 3), (y, 6))),
        "SU" => Some(((y, 6), (y, 9))),
        "FA" => Some(((y, 9), (y, 12))),
        "WI" => Some(((y, 12), (y + 1, 3))),
        _ => None,
    };
    if let Some((a, b)) = season {
        return Some(month_span(a, b));
    }
    let m: i8 = second.parse().ok()?;
    match third {
        None => Some(month_span((y, m), (y, m))),
        Some(d) => {
            let d: i8 = d.parse().ok()?;
            Some(Interval {
                start: (y, m, d),
                end: (y, m, d),
                yearless: false,
            })
        }
    }
}

/// Whether our value denotes the gold interval.
fn same(ours: Option<&str>, gold: Interval) -> bool {
    let Some(ours) = ours.and_then(timex_interval) else {
        return false;
    };
    if gold.yearless {
        let md = |x: Ymd| (x.1, x.2);
        md(ours.start) == md(gold.start) && md(ours.end) == md(gold.end)
    } else {
        ours.start == gold.start && ours.end == gold.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_gum_attributes_to_intervals() {
        let a = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        let decade = vec![
            ("from".to_string(), "1990".to_string()),
            ("to".to_string(), "1999".to_string()),
        ];
        assert!(same(Some("199"), gold_interval(&decade).unwrap()));
        assert!(same(
            Some("2015"),
            gold_interval(&a("when", "2015")).unwrap()
        ));
        assert!(!same(
            Some("2015-05"),
            gold_interval(&a("when", "2015")).unwrap()
        ));
        assert!(same(
            Some("2015-03"),
            gold_interval(&a("when", "--03")).unwrap()
        ));
        assert!(same(
            Some("BC0508"),
            gold_interval(&a("when", "-0508")).unwrap()
        ));
        assert!(same(
            Some("2019-11-18TMO"),
            gold_interval(&a("when", "2019-11-18")).unwrap()
        ));
        let week = vec![
            ("from".to_string(), "2017-04-03".to_string()),
            ("to".to_string(), "2017-04-09".to_string()),
        ];
        assert!(same(Some("2017-W14"), gold_interval(&week).unwrap()));
        let summer = vec![
            ("from".to_string(), "2012-06".to_string()),
            ("to".to_string(), "2012-09".to_string()),
        ];
        assert!(same(Some("2012-SU"), gold_interval(&summer).unwrap()));
        assert!(gold_interval(&a("notBefore", "1979")).is_none());
        assert!(!same(
            Some("P3Y"),
            gold_interval(&a("when", "2015")).unwrap()
        ));
    }

    #[test]
    fn reads_gold_spans_from_misc() {
        let conllu =
            "# newdoc id = d1\n# meta::dateCreated = 2015-05-12\n# text = It was in May 2015.\n\
1\tIt\tit\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n\
2\twas\tbe\tAUX\tVBD\t_\t0\troot\t_\t_\n\
3\tin\tin\tADP\tIN\t_\t4\tcase\t_\t_\n\
4\tMay\tMay\tPROPN\tNNP\t_\t2\tobl\t_\tXML=<date when:::\"2015-05\">\n\
5\t2015\t2015\tNUM\tCD\t_\t4\tnmod\t_\tSpaceAfter=No|XML=</date>\n\
6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n";
        let e = eval_time(conllu).unwrap();
        assert_eq!((e.gold, e.predicted, e.matched), (1, 1, 1));
        assert_eq!(e.value_accuracy, 1.0);
        let e = eval_time_with(
            conllu,
            EvalOptions {
                gold_tags: true,
                verbose: false,
            },
        )
        .unwrap();
        assert_eq!(e.f1, 1.0);
    }
}
