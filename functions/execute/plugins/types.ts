// What a plugin is: a named set of actions, each with its input schema and the function that runs it.
import type * as z from 'zod/mini';
import type { CallContext } from '#connectors/wire';
import type { ConnectorBundle } from '#connectors/loader';

export interface ActionDefinition<S extends z.ZodMiniType = z.ZodMiniType> {
  readonly description: string;
  readonly input: S;
  /** Roles allowed to run the action; @default every authenticated principal of the tenant */
  readonly roles?: readonly string[];
  readonly run: (ctx: CallContext, input: z.output<S>, connectors: ConnectorBundle) => Promise<unknown>;
}

export interface Plugin {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionDefinition>>;
}

/** Keeps each action's `run` typed against its own schema while the registry stores them uniformly. */
export const action = <S extends z.ZodMiniType>(definition: ActionDefinition<S>): ActionDefinition =>
  definition as unknown as ActionDefinition;
