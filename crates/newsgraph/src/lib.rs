//! The newsgraph pipeline assembled from components.
