//! HTML pages: the article's text (readability) and its metadata (meta tags, JSON-LD).

use crate::date::parse_date;
use crate::encoding::{clean_field, clean_text, collapse_whitespace};
use crate::{Input, ReadError};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use newsgraph_core::Article;
use scraper::{Html, Node, Selector};
use serde_json::Value;
use std::collections::HashMap;

/// Reads an article from an HTML page.
///
/// The body comes from readability (`dom_smoothie`), which drops navigation,
/// ads, related links and scripts; when it finds nothing, every `<p>` of the
/// page is used instead (also for pages nested too deep for readability).
/// Paragraphs (one per `<p>`, heading or list item) are
/// joined with a blank line. Metadata comes from meta tags and JSON-LD; see
/// [`Meta`] for the order in which sources are tried.
pub(crate) fn read_html(
    input: &Input<'_>,
    html: &str,
    mut warnings: Vec<String>,
    depth_limit: usize,
) -> Result<Article, ReadError> {
    let flattened = flatten_deep(html, depth_limit.saturating_mul(FLATTEN_FACTOR));
    let (html, depth_note) = match &flattened {
        Some((flat, estimate)) => (
            flat.as_str(),
            format!(
                "about {estimate} elements deep: tags below depth {} dropped (their text kept)",
                depth_limit.saturating_mul(FLATTEN_FACTOR)
            ),
        ),
        None => (html, String::new()),
    };
    let doc = Html::parse_document(html);
    let meta = Meta::collect(&doc);

    let depth = max_depth(&doc);
    if flattened.is_some() {
        warnings.push(format!(
            "page is nested {depth_note}; main-content extraction skipped, all paragraphs used"
        ));
    }
    let readable = if flattened.is_some() {
        None
    } else if depth > depth_limit {
        // Not worth a minute per page: fall back to all paragraphs.
        warnings.push(format!(
            "page is nested {depth} elements deep (limit {depth_limit}): main-content extraction skipped, all paragraphs used"
        ));
        None
    } else {
        readable_text(html)
    };
    let text = match &readable {
        Some((text, _)) => text.clone(),
        None => all_paragraphs(&doc),
    };
    if text.is_empty() {
        return Err(ReadError::NoArticleText {
            path: input.path.to_path_buf(),
        });
    }

    let mut article = Article {
        id: input.stem.map(str::to_string),
        origin: input.origin(),
        text,
        warnings,
        ..Article::default()
    };
    let readability_title = readable.and_then(|(_, title)| clean_field(&title));
    article.title = meta.title().or(readability_title);
    article.source = meta.site_name();
    article.url = meta.url();
    let dates = meta.published_candidates();
    article.published = dates.iter().find_map(|d| parse_date(d));
    if article.published.is_none() {
        if let Some(first) = dates.first() {
            article
                .warnings
                .push(format!("could not parse date `{first}`"));
        }
    }
    Ok(article)
}

/// Pages nested deeper than this many times the depth limit are flattened
/// before parsing: see [`flatten_deep`].
const FLATTEN_FACTOR: usize = 4;

/// Elements that never hold others (void) or whose end tag the parser
/// implies: they do not count towards the nesting estimate.
const DEPTH_NEUTRAL: [&str; 33] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body", "!doctype",
];

/// Elements whose content is raw text, where `<` starts no tag.
const RAW_TEXT: [&str; 5] = ["script", "style", "textarea", "title", "xmp"];

/// The HTML parser's time grows with the square of the nesting depth (85 s
/// for 100,000 nested `<div>`s): when a cheap scan of the tags estimates the
/// nesting deeper than `limit`, the start and end tags below that depth are
/// dropped and their text kept, so the parser sees a page at most `limit`
/// deep. Returns the flattened page and the estimated depth, or `None` (the
/// page is left alone) when it is not that deep.
fn flatten_deep(html: &str, limit: usize) -> Option<(String, usize)> {
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut excess) = (0usize, 0usize, 0usize);
    // Byte ranges of tags to drop; computed first so that ordinary pages cost one scan.
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr_lt(&bytes[i..]) {
        let start = i + off;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let Some(end) = bytes[start..]
            .iter()
            .position(|&b| b == b'>')
            .map(|e| start + e + 1)
        else {
            break;
        };
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..end]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!' || **b == b'-')
            .count();
        if name_len == 0 {
            i = start + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        i = end;
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ignore_case(bytes, end, close.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        let self_closing = bytes[..end].ends_with(b"/>");
        if DEPTH_NEUTRAL.contains(&name.as_str()) || name.starts_with('!') || self_closing {
            continue;
        }
        if closing {
            if excess > 0 {
                excess -= 1;
                drop.push((start, end));
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if depth >= limit {
            excess += 1;
            max = max.max(depth + excess);
            drop.push((start, end));
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    if drop.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (a, b) in drop {
        out.push_str(&html[at..a]);
        at = b;
    }
    out.push_str(&html[at..]);
    Some((out, max))
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// The deepest nesting of elements in the page.
fn max_depth(doc: &Html) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) if node.value().is_element() => {
                depth += 1;
                max = max.max(depth);
            }
            Edge::Close(node) if node.value().is_element() => depth -= 1,
            _ => {}
        }
    }
    max
}

/// The main text by readability, and readability's title; `None` when it finds no text.
fn readable_text(html: &str) -> Option<(String, String)> {
    let doc = dom_query::Document::from(html);
    remove_boilerplate(&doc);
    let mut readability = dom_smoothie::Readability::with_document(doc, None, None).ok()?;
    let found = readability.parse().ok()?;
    let text = html_to_text(&found.content);
    (!text.is_empty()).then_some((text, found.title))
}

/// Removes ads, share bars and related-links boxes (see [`is_boilerplate`])
/// before readability runs: readability drops most boilerplate itself, but
/// keeps ad slots and link boxes placed inside the article's container.
fn remove_boilerplate(doc: &dom_query::Document) {
    for element in doc.select("[class], [id]").iter() {
        let Some(node) = element.nodes().first() else {
            continue;
        };
        let name = node.node_name();
        if matches!(name.as_deref(), Some("html" | "body" | "main" | "article")) {
            continue;
        }
        let class = node.attr("class");
        let id = node.attr("id");
        // A box with several paragraphs is content, whatever its class says.
        if is_boilerplate(class.as_deref(), id.as_deref()) && element.select("p").length() < 3 {
            node.remove_from_parent();
        }
    }
}

/// The fallback when readability finds nothing: the text of every `<p>`
/// outside navigation, headers, footers, asides and ad boxes.
///
/// One pass over the tree (not a walk up from each `<p>`): a page nested
/// 100,000 deep with a paragraph at each level stays linear.
fn all_paragraphs(doc: &Html) -> String {
    let excluded = |node: NodeRef<'_, Node>| match node.value() {
        Node::Element(el) => {
            matches!(el.name(), "nav" | "header" | "footer" | "aside" | "form")
                || is_boilerplate(el.attr("class"), el.attr("id"))
        }
        _ => false,
    };
    let mut paragraphs = Vec::new();
    // Open excluded ancestors, and the `<p>` being collected with its text.
    let mut inside_excluded = 0usize;
    let mut open_p: Option<(NodeRef<'_, Node>, String)> = None;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if excluded(node) {
                    inside_excluded += 1;
                }
                if let Some((_, text)) = &mut open_p {
                    if let Node::Text(t) = node.value() {
                        text.push_str(t);
                    }
                } else if inside_excluded == 0
                    && matches!(node.value(), Node::Element(el) if el.name() == "p")
                {
                    open_p = Some((node, String::new()));
                }
            }
            Edge::Close(node) => {
                if excluded(node) {
                    inside_excluded -= 1;
                }
                if open_p.as_ref().is_some_and(|(p, _)| *p == node) {
                    if let Some((_, text)) = open_p.take() {
                        let p = collapse_whitespace(&clean_text(&text));
                        if !p.is_empty() {
                            paragraphs.push(p);
                        }
                    }
                }
            }
        }
    }
    paragraphs.join("\n\n")
}

/// Text of an HTML fragment: one paragraph per block element (`<p>`, heading,
/// list item, ...), internal whitespace collapsed, paragraphs joined with
/// `"\n\n"`. Scripts, styles and other non-text elements are skipped.
pub(crate) fn html_to_text(fragment: &str) -> String {
    let flat = flatten_deep(
        fragment,
        crate::DEFAULT_MAX_HTML_DEPTH.saturating_mul(FLATTEN_FACTOR),
    );
    let fragment = flat.as_ref().map_or(fragment, |(f, _)| f.as_str());
    let html = Html::parse_fragment(fragment);
    block_paragraphs(html.tree.root()).join("\n\n")
}

/// Elements whose content is never article text.
const SKIPPED: [&str; 12] = [
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "head", "button",
];

/// Elements that start and end a paragraph.
const BLOCKS: [&str; 36] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "hr",
    "address",
    "body",
];

fn block_paragraphs(root: NodeRef<'_, Node>) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        let paragraph = collapse_whitespace(&clean_text(current));
        if !paragraph.is_empty() {
            paragraphs.push(paragraph);
        }
        current.clear();
    };
    // Iterative traversal: deeply nested markup must not overflow the stack.
    let mut skipping: Option<NodeRef<'_, Node>> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => current.push_str(text),
                    Node::Element(el) => {
                        let name = el.name();
                        if SKIPPED.contains(&name)
                            || is_boilerplate(el.attr("class"), el.attr("id"))
                        {
                            skipping = Some(node);
                        } else if BLOCKS.contains(&name) {
                            flush(&mut current);
                        } else if name == "br" || name == "img" {
                            current.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(skipped) = skipping {
                    if skipped == node {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    if BLOCKS.contains(&el.name()) {
                        flush(&mut current);
                    }
                }
            }
        }
    }
    flush(&mut current);
    paragraphs
}

/// Whether an element with these `class` and `id` attributes is an ad, a
/// share bar or a related-links box.
fn is_boilerplate(class: Option<&str>, id: Option<&str>) -> bool {
    class
        .unwrap_or("")
        .split_whitespace()
        .chain(id)
        .any(|token| {
            let token = token.to_ascii_lowercase();
            matches!(
                token.as_str(),
                "ad" | "ads" | "adsbygoogle" | "share" | "sharing" | "social" | "newsletter"
            ) || token.starts_with("ad-")
                || token.starts_with("ads-")
                || token.starts_with("related")
                || [
                    "advert", "sponsor", "promo", "outbrain", "taboola", "share-",
                ]
                .iter()
                .any(|part| token.contains(part))
        })
}

fn selector(css: &str) -> Selector {
    // Only called with the constant selectors of this module.
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid built-in selector `{css}`: {e}"))
}

/// Metadata found in a page.
#[derive(Debug, Default)]
struct Meta {
    /// `<meta>` content by lowercase `property`, `name` or `itemprop`; first wins.
    tags: HashMap<String, String>,
    title_tag: Option<String>,
    canonical: Option<String>,
    /// `datetime` of `<time>` elements inside `<article>`, in document order.
    article_times: Vec<String>,
    json_ld: JsonLd,
}

impl Meta {
    fn collect(doc: &Html) -> Meta {
        let mut meta = Meta::default();
        for el in doc.select(&selector("meta")) {
            let Some(content) = el.attr("content") else {
                continue;
            };
            for key_attr in ["property", "name", "itemprop"] {
                if let Some(key) = el.attr(key_attr) {
                    meta.tags
                        .entry(key.trim().to_ascii_lowercase())
                        .or_insert_with(|| content.trim().to_string());
                }
            }
        }
        meta.title_tag = doc
            .select(&selector("title"))
            .next()
            .and_then(|t| clean_field(&t.text().collect::<String>()));
        meta.canonical = doc
            .select(&selector("link[rel~=canonical][href]"))
            .next()
            .and_then(|l| l.attr("href"))
            .and_then(clean_field);
        meta.article_times = doc
            .select(&selector(
                "article time[datetime], time[itemprop=datePublished][datetime]",
            ))
            .filter_map(|t| t.attr("datetime"))
            .map(str::to_string)
            .collect();
        for script in doc.select(&selector("script[type]")) {
            let is_json_ld = script
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
            if is_json_ld {
                meta.json_ld.add(&script.text().collect::<String>());
            }
        }
        meta
    }

    fn tag(&self, key: &str) -> Option<String> {
        self.tags.get(key).and_then(|v| clean_field(v))
    }

    /// `og:site_name`, else the JSON-LD publisher, else `application-name`.
    fn site_name(&self) -> Option<String> {
        self.tag("og:site_name")
            .or_else(|| self.json_ld.publisher.as_deref().and_then(clean_field))
            .or_else(|| self.tag("application-name"))
    }

    /// `og:title`, else `<title>`; a ` - Site`/` | Site` suffix is removed
    /// when the site's name is known and matches it.
    fn title(&self) -> Option<String> {
        let title = self.tag("og:title").or_else(|| self.title_tag.clone())?;
        Some(match self.site_name() {
            Some(site) => strip_site_suffix(&title, &site),
            None => title,
        })
    }

    /// `<link rel=canonical>`, else `og:url`.
    fn url(&self) -> Option<String> {
        self.canonical.clone().or_else(|| self.tag("og:url"))
    }

    /// Raw publication dates in order of trust: explicit publication meta
    /// tags, then JSON-LD `datePublished`, then `<time datetime>` in the
    /// article (which may be an update time or a date in a related link).
    fn published_candidates(&self) -> Vec<String> {
        const KEYS: [&str; 11] = [
            "article:published_time",
            "og:published_time",
            "datepublished",
            "date",
            "pubdate",
            "publish-date",
            "publish_date",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "dcterms.created",
        ];
        let mut out: Vec<String> = KEYS.iter().filter_map(|k| self.tag(k)).collect();
        out.extend(self.json_ld.date_published.iter().cloned());
        out.extend(self.article_times.iter().filter_map(|t| clean_field(t)));
        out
    }
}

fn strip_site_suffix(title: &str, site: &str) -> String {
    const SEPARATORS: [&str; 7] = [" - ", " | ", " – ", " — ", " :: ", " · ", " • "];
    let site = site.trim().to_lowercase();
    for sep in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if tail.trim().to_lowercase() == site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// What the page's JSON-LD says about the article.
#[derive(Debug, Default)]
struct JsonLd {
    /// `datePublished` of article-like objects first, then of any object.
    date_published: Vec<String>,
    publisher: Option<String>,
}

/// schema.org types whose `datePublished` is the article's.
const ARTICLE_TYPES: [&str; 8] = [
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
];

impl JsonLd {
    /// Adds one `<script type="application/ld+json">` block; invalid JSON is ignored.
    fn add(&mut self, script: &str) {
        let script = script.trim();
        let script = script.strip_prefix("<!--").unwrap_or(script);
        let script = script.strip_suffix("-->").unwrap_or(script).trim();
        let script = script.strip_suffix(';').unwrap_or(script);
        let Ok(value) = serde_json::from_str::<Value>(script) else {
            return;
        };
        let mut objects = Vec::new();
        flatten(&value, &mut objects);

        let is_article = |o: &&serde_json::Map<String, Value>| {
            let types = match o.get("@type") {
                Some(Value::String(t)) => vec![t.as_str()],
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            types.iter().any(|t| ARTICLE_TYPES.contains(t))
        };
        let (articles, others): (Vec<_>, Vec<_>) = objects.iter().copied().partition(is_article);
        for o in articles.iter().chain(&others) {
            if let Some(Value::String(date)) = o.get("datePublished") {
                self.date_published.push(date.clone());
            }
        }
        if self.publisher.is_none() {
            self.publisher = articles
                .iter()
                .chain(&others)
                .find_map(|o| publisher_name(o.get("publisher")?, &objects));
        }
    }
}

/// All objects of a JSON-LD value: itself, array items and `@graph` members.
fn flatten<'a>(value: &'a Value, out: &mut Vec<&'a serde_json::Map<String, Value>>) {
    // Depth is bounded by serde_json's recursion limit, so recursion is safe here.
    match value {
        Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
        Value::Object(map) => {
            out.push(map);
            if let Some(graph) = map.get("@graph") {
                flatten(graph, out);
            }
        }
        _ => {}
    }
}

/// The name of a `publisher`: a string, an object with `name`, a reference
/// (`{"@id": ...}`) to another object of the page, or an array of those.
fn publisher_name(value: &Value, objects: &[&serde_json::Map<String, Value>]) -> Option<String> {
    match value {
        Value::String(name) => Some(name.clone()),
        Value::Array(items) => items.iter().find_map(|v| publisher_name(v, objects)),
        Value::Object(map) => {
            if let Some(Value::String(name)) = map.get("name") {
                return Some(name.clone());
            }
            let id = map.get("@id")?.as_str()?;
            objects
                .iter()
                .filter(|o| o.get("@id").and_then(Value::as_str) == Some(id))
                .find_map(|o| o.get("name")?.as_str().map(str::to_string))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_text_has_one_paragraph_per_block() {
        let text = html_to_text(
            "<p>First   paragraph\n with <b>bold</b> words.</p><h2>A heading</h2>\
             <ul><li>one</li><li>two<br>lines</li></ul><script>var x = 1;</script>\
             <div>Loose text<p>inner</p>after</div><div class=\"ad ad-inline\">Buy!</div>\
             <aside class=\"related-stories\"><p>Other news</p></aside><p id=\"ad-slot-2\">Ad</p>",
        );
        assert_eq!(
            text,
            "First paragraph with bold words.\n\nA heading\n\none\n\ntwo lines\n\n\
             Loose text\n\ninner\n\nafter"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "{}deep{}",
            "<span>".repeat(50_000),
            "</span>".repeat(50_000)
        );
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn site_suffix_is_stripped_only_when_it_is_the_site() {
        assert_eq!(
            strip_site_suffix("Talks resume - Harbour Post", "Harbour Post"),
            "Talks resume"
        );
        assert_eq!(
            strip_site_suffix("Talks resume | HARBOUR POST", "Harbour Post"),
            "Talks resume"
        );
        assert_eq!(
            strip_site_suffix("Talks resume - a long week", "Harbour Post"),
            "Talks resume - a long week"
        );
    }

    #[test]
    fn json_ld_graph_and_publisher_reference() {
        let mut ld = JsonLd::default();
        ld.add(
            r##"{"@context":"https://schema.org","@graph":[
                {"@type":"WebPage","@id":"#page","datePublished":"2015-01-01"},
                {"@type":"Organization","@id":"#org","name":"Harbour Post"},
                {"@type":["NewsArticle"],"datePublished":"2015-05-12T08:30:00Z","publisher":{"@id":"#org"}}
            ]}"##,
        );
        assert_eq!(ld.date_published, ["2015-05-12T08:30:00Z", "2015-01-01"]);
        assert_eq!(ld.publisher.as_deref(), Some("Harbour Post"));
    }

    #[test]
    fn json_ld_array_and_junk() {
        let mut ld = JsonLd::default();
        ld.add("{ not json");
        ld.add(r#"[{"@type":"NewsArticle","datePublished":"May 12, 2015","publisher":"Wire"}]"#);
        assert_eq!(ld.date_published, ["May 12, 2015"]);
        assert_eq!(ld.publisher.as_deref(), Some("Wire"));
    }
}
