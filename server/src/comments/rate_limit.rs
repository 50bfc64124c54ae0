//! How comments are policed, and the per-client limit on posting.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};

/// How comments are policed.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// New comments one client may post per minute.
    pub posts_per_minute: u32,
    /// Reports from different clients that hide a comment until a moderator looks at it.
    pub reports_to_hide: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            posts_per_minute: 5,
            reports_to_hide: 3,
        }
    }
}

/// Per-client limits, shared by every request.
pub struct Limits {
    pub policy: Policy,
    posts: DefaultKeyedRateLimiter<IpAddr>,
}

impl Limits {
    pub fn new(policy: Policy) -> Arc<Self> {
        let per_minute = NonZeroU32::new(policy.posts_per_minute).unwrap_or(NonZeroU32::MIN);
        Arc::new(Limits {
            policy,
            posts: RateLimiter::keyed(Quota::per_minute(per_minute)),
        })
    }

    /// Takes one post from `client`'s allowance, or says how many seconds until there is one.
    pub fn take_post(&self, client: IpAddr) -> Result<(), u64> {
        self.posts.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }

    /// Forgets clients whose allowance is full again, so the table does not grow forever.
    pub fn forget_idle(&self) {
        self.posts.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_allowance_and_then_a_wait() {
        let limits = Limits::new(Policy {
            posts_per_minute: 2,
            ..Policy::default()
        });
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        assert_eq!(limits.take_post(a), Ok(()));
        assert_eq!(limits.take_post(a), Ok(()));
        let wait = limits.take_post(a).expect_err("over the allowance");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(limits.take_post(b), Ok(()), "another client has its own");
    }
}
