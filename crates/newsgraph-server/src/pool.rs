//! [`StorePool`]: a few store connections shared by the request handlers.
//!
//! A [`Store`] is `Send` but not `Sync` (a SQLite connection serves one
//! thread at a time), and its queries block. The pool hands a store to one
//! blocking task at a time; at most `size` queries run at once and the other
//! requests wait their turn, so many concurrent clients queue instead of
//! failing.

use crate::ApiError;
use newsgraph_store::{Store, StoreError};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Opens one more store connection (read-only for `newsgraph serve`).
pub type Opener = dyn Fn() -> Result<Box<dyn Store>, StoreError> + Send + Sync;

/// Store connections for blocking queries; see the module docs.
pub struct StorePool {
    idle: Mutex<Vec<Box<dyn Store>>>,
    permits: Semaphore,
    open: Box<Opener>,
}

impl std::fmt::Debug for StorePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorePool")
            .field("available", &self.permits.available_permits())
            .finish()
    }
}

impl StorePool {
    /// A pool of at most `size` connections; opens one now, so that a bad
    /// database fails at start-up rather than on the first request.
    pub fn new(size: usize, open: Box<Opener>) -> Result<StorePool, StoreError> {
        let first = open()?;
        Ok(StorePool {
            idle: Mutex::new(vec![first]),
            permits: Semaphore::new(size.max(1)),
            open,
        })
    }

    /// Runs `f` with a store on the blocking thread pool.
    pub async fn with<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the store pool is closed"))?;
        let pool = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let store = pool.idle.lock().ok().and_then(|mut idle| idle.pop());
            let store = match store {
                Some(s) => s,
                None => (pool.open)()?,
            };
            let result = f(store.as_ref());
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(store);
            }
            result
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => Err(ApiError::internal(format!("a query failed: {e}"))),
        }
    }
}
