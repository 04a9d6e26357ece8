-- Administrators mailed when accounts are suspended for disuse (issue 23, access review): a
-- choice on their profile, through the same outbox as their other alerts, one mail per batch.
-- Off for a new row unless chosen (editors are never told: the alert is the administrators').
-- Administrators who already gave an address to be told of something get it on: the issue says
-- administrators are told of these suspensions, they happen at most once a day, and each can
-- untick it on their profile.
ALTER TABLE notify_clerk ADD COLUMN accounts INTEGER NOT NULL DEFAULT 0 CHECK (accounts IN (0, 1));
UPDATE notify_clerk SET accounts = 1
 WHERE user_id IN (SELECT id FROM app_user WHERE role = 'amministratore');
