//! The lab's request protocol, one line each way, shared by the loopback
//! server ([`crate::server`]), the fetcher of exercise 9.1 and the tests'
//! in-memory servers.
//!
//! A request is `ID WAIT_MS\n`: the client asks the server to wait
//! `WAIT_MS` milliseconds (standing in for the work or the slow backend a
//! real server would wait for) and then answer. The reply is `ID ok\n`.
//! Anything else the server cannot read gets `ID error MESSAGE\n`, or
//! `? error MESSAGE\n` when not even the id can be read.

use std::time::Duration;

/// One request: which item, and how long the server should wait before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// The item's number; the reply carries it back.
    pub id: u64,
    /// How long the server waits before it answers.
    pub wait: Duration,
}

impl Request {
    /// The request as one line, newline included.
    pub fn line(&self) -> String {
        format!("{} {}\n", self.id, self.wait.as_millis())
    }

    /// Reads one request line (with or without its newline).
    pub fn parse(line: &str) -> Result<Request, String> {
        let mut words = line.split_whitespace();
        let (Some(id), Some(wait), None) = (words.next(), words.next(), words.next()) else {
            return Err(format!("expected `ID WAIT_MS`, got {:?}", line.trim_end()));
        };
        let id = id
            .parse()
            .map_err(|_| format!("the id {id:?} is not a whole number"))?;
        let wait: u64 = wait
            .parse()
            .map_err(|_| format!("the wait {wait:?} is not a whole number of milliseconds"))?;
        Ok(Request {
            id,
            wait: Duration::from_millis(wait),
        })
    }
}

/// A server's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `ID ok`: the request was served.
    Ok(u64),
    /// `ID error MESSAGE` (`id` is `None` for `?`): the server could not serve it.
    Error(Option<u64>, String),
}

impl Reply {
    /// The reply as one line, newline included.
    pub fn line(&self) -> String {
        match self {
            Reply::Ok(id) => format!("{id} ok\n"),
            Reply::Error(Some(id), message) => format!("{id} error {message}\n"),
            Reply::Error(None, message) => format!("? error {message}\n"),
        }
    }

    /// Reads one reply line (with or without its newline).
    pub fn parse(line: &str) -> Result<Reply, String> {
        let line = line.trim_end();
        let (id, rest) = line
            .split_once(' ')
            .ok_or_else(|| format!("expected `ID ok` or `ID error MESSAGE`, got {line:?}"))?;
        let id = if id == "?" {
            None
        } else {
            Some(
                id.parse()
                    .map_err(|_| format!("the reply's id {id:?} is not a whole number"))?,
            )
        };
        match (id, rest) {
            (Some(id), "ok") => Ok(Reply::Ok(id)),
            (id, rest) => match rest.strip_prefix("error ") {
                Some(message) => Ok(Reply::Error(id, message.to_owned())),
                None => Err(format!(
                    "expected `ID ok` or `ID error MESSAGE`, got {line:?}"
                )),
            },
        }
    }
}
