//! The [`Component`] contract: a pipeline stage that adds layers to a [`Doc`].

use crate::doc::LayerError;
use crate::{Doc, Layers};

/// A stage of the pipeline that adds annotations to a [`Doc`].
///
/// Components add layers; they never rewrite layers set by earlier stages.
/// The pipeline checks `requires` against what earlier stages `assigns` when
/// it is assembled, so a misordered pipeline fails at build time, not mid-batch.
pub trait Component: Send + Sync {
    fn name(&self) -> &str;
    fn requires(&self) -> Layers;
    fn assigns(&self) -> Layers;
    fn annotate(&self, doc: &mut Doc) -> Result<(), ComponentError>;
}

/// An error that makes a component unable to annotate a document at all.
/// Per-document problems that still allow output are diagnostics instead.
#[derive(Debug, thiserror::Error)]
pub enum ComponentError {
    #[error("component `{component}`: {source}")]
    Layer {
        component: String,
        source: LayerError,
    },
    #[error("component `{component}`: {message}")]
    Failed { component: String, message: String },
}

impl ComponentError {
    pub fn layer(component: &str, source: LayerError) -> Self {
        ComponentError::Layer {
            component: component.to_string(),
            source,
        }
    }
}

/// Check that `components`, run in order, each find the layers they require.
/// `initial` is what documents carry before the first component.
pub fn check_order(initial: Layers, components: &[&dyn Component]) -> Result<Layers, String> {
    let mut have = initial;
    for c in components {
        let missing = c.requires().minus(have);
        if !missing.is_empty() {
            return Err(format!(
                "component `{}` requires {} but no earlier component assigns {}",
                c.name(),
                c.requires(),
                missing
            ));
        }
        have = have | c.assigns();
    }
    Ok(have)
}
