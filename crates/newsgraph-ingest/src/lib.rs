//! Readers: files, HTML, JSON Lines, stdin -> Article.
