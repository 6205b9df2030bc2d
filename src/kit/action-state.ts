import * as core from '@actions/core';

/**
 * State handed from an action's main step to its `post:` step (the runner's GITHUB_STATE file; the post step reads
 * it back as STATE_<name>). Written at once, so it survives a main step that is killed right after.
 * The bridge to @actions/core for this, like actions-io.ts for outputs.
 */
export const saveState = (name: string, value: string): void => core.saveState(name, value);

/** The value saved by the main step, '' when none was. */
export const getState = (name: string): string => core.getState(name);
