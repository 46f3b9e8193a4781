-- 0022_steps_done_meaning: comments only; the simulator's count changes.
--
-- sessions.steps_done said "steps it completed" but counted a step only
-- once its tool call had returned, so a session abandoned while a tool
-- call ran read one step fewer than its completed request rows (its
-- answered step-0 call beside steps_done 0). A step is now done when its
-- model call completes, the fleet's part of it; the tool runs outside the
-- fleet and always returns. Older runs keep the old count.

COMMENT ON COLUMN sessions.steps_done IS '[count] steps whose model call completed (a step whose tool call was still running included): its requests with status = ''completed'' (where requests are not sampled); steps_planned for a completed session';
