// The page shape every store list speaks: a limit and an opaque cursor in, items and the next cursor out.
export interface PageRequest {
  limit: number;
  cursor?: string;
}
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
