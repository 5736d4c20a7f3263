export * from './headers.js';
export * from './info.js';
export * from './invite.js';
export * from './outgoing.js';
