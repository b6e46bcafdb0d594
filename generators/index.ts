/** The generators' public surface: catalogue, paths, users, command lines, process trees and renderers. */
export * from './catalog/index.js';
export * from './command-lines.js';
export * from './paths.js';
export * from './process-tree.js';
export * from './render/ecs-json.js';
export * from './render/evtx-json.js';
export * from './render/flat-json.js';
export * from './render/renderings.js';
export * from './render/windows-event.js';
export * from './render/xml.js';
export * from './users.js';
