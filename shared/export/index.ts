export * from './kinds';
export * from './safe-name';
export * from './template';
export * from './profile';
