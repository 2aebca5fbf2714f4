//! `tests/moto/fault_proxy.py` in front of the moto `tests/run` started: one proxy per test, on its
//! own port, stopped when dropped. Rules are set and cleared through its control endpoint.
#![allow(dead_code, clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub struct FaultProxy {
    child: Child,
    pub port: u16,
}

impl FaultProxy {
    /// A proxy to the moto endpoint, or `None` (after `skip_or_fail`) when moto or its Python is
    /// not there.
    pub fn start() -> Option<Self> {
        let (Ok(endpoint), Ok(python)) = (std::env::var("VIGIL_MOTO_ENDPOINT"), std::env::var("VIGIL_MOTO_PYTHON"))
        else {
            super::skip_or_fail(
                "VIGIL_MOTO_ENDPOINT or VIGIL_MOTO_PYTHON is not set: run tests/run to test against moto",
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/moto/fault_proxy.py");
        let child = Command::new(python).args([script, &port.to_string(), &endpoint]).spawn().unwrap();
        let proxy = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the fault proxy did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(proxy)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answers the next `count` calls matching `pattern` (`None`: all, until [`Self::clear`]) with
    /// `fault`; see the proxy's documentation for both.
    pub fn inject(&self, pattern: &str, fault: &str, count: Option<u32>) {
        self.add(serde_json::json!({ "match": pattern, "fault": fault, "count": count }));
    }

    /// Adds a rule with every field the proxy takes (`skip`, `delay`).
    pub fn add(&self, rule: serde_json::Value) {
        self.control("POST", &rule.to_string());
    }

    /// Ends every fault.
    pub fn clear(&self) {
        self.control("DELETE", "");
    }

    /// Calls seen that matched `pattern` (a pattern given to [`Self::inject`]), faulted or not.
    pub fn hits(&self, pattern: &str) -> u64 {
        self.control("GET", "")["hits"][pattern].as_u64().unwrap_or(0)
    }

    /// The request bodies of the calls seen that matched `pattern`, in order, parsed as JSON
    /// (`Null` for a body that is not JSON).
    pub fn bodies(&self, pattern: &str) -> Vec<serde_json::Value> {
        self.control("GET", "")["bodies"][pattern]
            .as_array()
            .map(|list| {
                list.iter().map(|b| serde_json::from_str(b.as_str().unwrap_or("")).unwrap_or_default()).collect()
            })
            .unwrap_or_default()
    }

    /// Every call waits `latency` seconds; calls matching a pattern of `quotas` draw on its token
    /// bucket (rate a second, burst) and are throttled when it is empty, as the service would.
    pub fn pace(&self, latency: f64, quotas: &[(&str, f64, u32)]) {
        let quotas: serde_json::Map<String, serde_json::Value> =
            quotas.iter().map(|(m, rate, burst)| (m.to_string(), serde_json::json!([rate, burst]))).collect();
        self.request(
            "POST",
            "/fault-proxy/pace",
            &serde_json::json!({ "latency": latency, "quotas": quotas }).to_string(),
        );
    }

    /// (calls let through, calls throttled) of the quota on `pattern` set by [`Self::pace`].
    pub fn paced(&self, pattern: &str) -> (u64, u64) {
        let state = self.request("GET", "/fault-proxy/pace", "");
        let quota = &state["quotas"][pattern];
        (quota["passed"].as_u64().unwrap_or(0), quota["throttled"].as_u64().unwrap_or(0))
    }

    fn control(&self, method: &str, body: &str) -> serde_json::Value {
        self.request(method, "/fault-proxy/rules", body)
    }

    fn request(&self, method: &str, path: &str, body: &str) -> serde_json::Value {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let request = format!(
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let (_, json) = response.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no answer: {response}"));
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
