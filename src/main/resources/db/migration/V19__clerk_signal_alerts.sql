-- Clerks told of signals (issue 22): a clerk may choose, on their profile, to be mailed when an
-- upstream source or a probe raises a signal (a proposed avviso, or a recovery), through the
-- same outbox as their other alerts.
ALTER TABLE notify_clerk ADD COLUMN signals INTEGER NOT NULL DEFAULT 0 CHECK (signals IN (0, 1));
