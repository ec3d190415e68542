//! Accepting connections for `quoth serve` so that hostile clients cannot tie it up: a request's
//! head must arrive within a timeout (also between requests on a kept-alive connection), and
//! open connections are capped. At the cap, the connection that has waited longest with no
//! request in progress is closed to make room: idle or half-sent connections can never keep a
//! healthy client out, however many an attacker opens.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Notify;

/// How many connections, and for how long a request's head may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once; at the cap the oldest idle one is closed for a new one.
    pub max_connections: usize,
    /// Longest wait for a request's head (the whole of it), on a new or a kept-alive connection.
    pub header_timeout: Duration,
}

/// One open connection: whether it has requests in progress, and how to close it.
struct Conn {
    busy: Arc<AtomicUsize>,
    close: Arc<Notify>,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Conns {
    next: u64,
    open: BTreeMap<u64, Conn>,
}

impl Conns {
    /// Makes room for one more connection under `max`, closing the oldest with no request in
    /// progress; false when every one is busy (the new one is then refused).
    fn make_room(&mut self, max: usize) -> bool {
        if self.open.len() < max.max(1) {
            return true;
        }
        let idle = self.open.iter().find(|(_, c)| c.busy.load(Ordering::Acquire) == 0);
        let Some(id) = idle.map(|(id, _)| *id) else { return false };
        if let Some(c) = self.open.remove(&id) {
            // A permit is stored if the connection's task is not waiting yet: it still closes.
            c.close.notify_one();
        }
        true
    }
}

/// Counts a request in progress on its connection for as long as it lives.
struct Busy(Arc<AtomicUsize>);

impl Busy {
    fn new(count: &Arc<AtomicUsize>) -> Busy {
        count.fetch_add(1, Ordering::AcqRel);
        Busy(count.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves `router` on `listener` under `limits` until `shutdown` completes.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let conns = Arc::new(Mutex::new(Conns::default()));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was accepted: wait
                // a little rather than spin; closing idle connections frees descriptors.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        let (id, busy, close) = {
            let mut c = conns.lock().unwrap_or_else(|e| e.into_inner());
            if !c.make_room(limits.max_connections) {
                continue; // dropped: closed at once
            }
            let id = c.next;
            c.next += 1;
            let (busy, close) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
            c.open.insert(id, Conn { busy: busy.clone(), close: close.clone() });
            (id, busy, close)
        };
        let _ = stream.set_nodelay(true);
        let (router, conns) = (TowerToHyperService::new(router.clone()), conns.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let busy = Busy::new(&busy);
                let answer = hyper::service::Service::call(&router, req);
                async move {
                    let res = answer.await;
                    drop(busy);
                    res
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = close.notified() => {}
            }
            conns.lock().unwrap_or_else(|e| e.into_inner()).open.remove(&id);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_made_by_closing_the_oldest_idle_connection() {
        let conn = |busy: usize| Conn {
            busy: Arc::new(AtomicUsize::new(busy)),
            close: Arc::new(Notify::new()),
        };
        // (name, busy count of each open connection, cap, room made, ids left open)
        type Case<'a> = (&'a str, &'a [usize], usize, bool, &'a [u64]);
        let cases: &[Case] = &[
            ("under the cap", &[0, 0], 3, true, &[0, 1]),
            ("the oldest idle goes", &[0, 0, 0], 3, true, &[1, 2]),
            ("a busy one stays", &[1, 0, 0], 3, true, &[0, 2]),
            ("all busy: refused (negative)", &[1, 2, 1], 3, false, &[0, 1, 2]),
        ];
        for (name, busy, max, room, left) in cases {
            let mut c = Conns::default();
            for (i, b) in busy.iter().enumerate() {
                c.open.insert(i as u64, conn(*b));
            }
            assert_eq!(c.make_room(*max), *room, "{name}");
            assert_eq!(c.open.keys().copied().collect::<Vec<_>>(), *left, "{name}");
        }
    }
}
