// Root hooks for mocha: quiet logs unless asked.
process.env.LOG_LEVEL ??= "silent";
