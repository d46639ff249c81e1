//! The newsgraph pipeline: [`Pipeline`] runs [`Component`]s in order over a
//! [`Doc`], after checking at assembly time that each component finds the
//! layers it requires.
//!
//! ```
//! use newsgraph::Pipeline;
//! use newsgraph_core::Article;
//! let pipeline = Pipeline::standard().unwrap();
//! let article = Article { text: "Kerry met Putin. They talked.".into(), ..Article::default() };
//! let doc = pipeline.process(article, Some("2015-05-12")).unwrap();
//! assert_eq!(doc.sentences().count(), 2);
//! ```

use newsgraph_core::component::check_order;

mod entities;
mod parser;
mod tagger;
mod tokenizer;
mod units;
pub use entities::EntityComponent;
pub use newsgraph_core::{Article, Component, ComponentError, Doc, Layers};
pub use newsgraph_extract::entities::{EntityResolver, FirstPersonResolver};
pub use newsgraph_extract::events::{EventExtractor, EventOptions};
pub use newsgraph_extract::quotes::QuoteExtractor;
pub use newsgraph_extract::time::TimeNormalizer;
pub use parser::ParserComponent;
pub use tagger::TaggerComponent;
pub use tokenizer::Tokenizer;

/// Errors assembling a pipeline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("pipeline is misassembled: {0}")]
    Order(String),
    #[error("cannot load a model")]
    Model(#[from] newsgraph_learn::ModelError),
}

/// Components run in order over each document.
pub struct Pipeline {
    components: Vec<Box<dyn Component>>,
    assigns: Layers,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("components", &self.names())
            .finish()
    }
}

impl Pipeline {
    /// Assemble a pipeline, checking that every component's required layers
    /// are assigned by an earlier one.
    pub fn new(components: Vec<Box<dyn Component>>) -> Result<Pipeline, PipelineError> {
        let refs: Vec<&dyn Component> = components.iter().map(|c| c.as_ref()).collect();
        let assigns = check_order(Layers::NONE, &refs).map_err(PipelineError::Order)?;
        Ok(Pipeline {
            components,
            assigns,
        })
    }

    /// The standard pipeline with every component this build ships.
    ///
    /// The models load on two threads: the parser and the entity recogniser
    /// on a second one, the tagger and the extraction stages' lexicons and
    /// gazetteers on the calling one (about half of the start-up work each).
    /// Without a second thread everything loads on the calling one.
    pub fn standard() -> Result<Pipeline, PipelineError> {
        Self::standard_with(&EventOptions::default())
    }

    /// The standard pipeline with the event extractor that `events`
    /// describes (which trained event classifier, how it is used).
    pub fn standard_with(events: &EventOptions) -> Result<Pipeline, PipelineError> {
        use newsgraph_nlp::{EntityRecognizer, Parser, Tagger};
        let load_second = || (Parser::builtin(), EntityRecognizer::builtin());
        let ((parser, ner), tagger, rest) = std::thread::scope(|s| {
            let second = std::thread::Builder::new()
                .name("load-models".into())
                .spawn_scoped(s, load_second)
                .ok();
            let tagger = Tagger::builtin();
            let rest = EventExtractor::with_options(events).map(Self::rule_stages);
            let second = match second {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                None => load_second(),
            };
            (second, tagger, rest)
        });
        let mut components: Vec<Box<dyn Component>> = vec![
            Box::new(Tokenizer),
            Box::new(TaggerComponent::new(tagger?)),
            Box::new(ParserComponent::new(parser?)),
            Box::new(EntityComponent::new(ner?)),
        ];
        components.extend(rest?);
        Pipeline::new(components)
    }

    /// The rule-based stages after the trained ones, in pipeline order.
    fn rule_stages(events: EventExtractor) -> Vec<Box<dyn Component>> {
        vec![
            Box::new(EntityResolver::new()),
            Box::new(TimeNormalizer::new()),
            Box::new(QuoteExtractor::new()),
            Box::new(FirstPersonResolver::new()),
            Box::new(events),
        ]
    }

    pub fn names(&self) -> Vec<&str> {
        self.components.iter().map(|c| c.name()).collect()
    }

    /// The layers documents carry after the pipeline.
    pub fn assigns(&self) -> Layers {
        self.assigns
    }

    /// Run every component over `doc`.
    pub fn run(&self, doc: &mut Doc) -> Result<(), ComponentError> {
        for c in &self.components {
            c.annotate(doc)?;
        }
        Ok(())
    }

    /// Run every component over `doc`, adding each one's wall time to
    /// `elapsed[i]` (which must have one slot per component).
    pub fn run_timed(
        &self,
        doc: &mut Doc,
        elapsed: &mut [std::time::Duration],
    ) -> Result<(), ComponentError> {
        assert_eq!(
            elapsed.len(),
            self.components.len(),
            "one slot per component"
        );
        for (c, slot) in self.components.iter().zip(elapsed) {
            let start = std::time::Instant::now();
            c.annotate(doc)?;
            *slot += start.elapsed();
        }
        Ok(())
    }

    /// Turn an article into an annotated document. `default_date` fills in the
    /// publication date when the article has none; a text that is clearly not
    /// English gets its `language` and a warning.
    pub fn process(
        &self,
        article: Article,
        default_date: Option<&str>,
    ) -> Result<Doc, ComponentError> {
        let mut doc = Doc::from_article(article, default_date);
        // Text that is clearly not English is marked (the models still run).
        if let Some(language) = newsgraph_text::detect_language(doc.text()) {
            doc.meta.language = language.code.to_string();
            doc.warn("language", language.warning());
        }
        if doc.meta.published.is_none() {
            doc.warn(
                "pipeline",
                "no publication date: relative dates cannot be resolved (use --date)",
            );
        }
        self.run(&mut doc)?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Needs(Layers);
    impl Component for Needs {
        fn name(&self) -> &str {
            "needs"
        }
        fn requires(&self) -> Layers {
            self.0
        }
        fn assigns(&self) -> Layers {
            Layers::EVENTS
        }
        fn annotate(&self, _doc: &mut Doc) -> Result<(), ComponentError> {
            Ok(())
        }
    }

    #[test]
    fn misordered_pipeline_is_rejected_at_assembly() {
        let err = Pipeline::new(vec![Box::new(Needs(Layers::TAGS))]).unwrap_err();
        assert!(err.to_string().contains("requires tags"), "{err}");
        let ok = Pipeline::new(vec![
            Box::new(Tokenizer),
            Box::new(Needs(Layers::SENTENCES)),
        ]);
        assert!(ok.is_ok());
    }
}
