/**
 * The conformance runner: a library configured by one object, with reporters. The CLI
 * (`ashlar conformance run`) only parses flags into a {@link ConformanceConfig}.
 */
export * from './config.js';
export * from './runner.js';
export * from './replay.js';
export * from './violation.js';
export * from './probe.js';
export { HOSTILE_NAMES } from './suites/negative.js';
export { RULES, type Rule } from './rules.js';
export { CHECK_RULES } from './coverage/check-rules.js';
export { RULE_ANCHORS, UNCHECKED_ANCHORS } from './coverage/rule-anchors.js';
export { contractAnchors, type ContractAnchor } from './coverage/contract-anchors.js';
export { renderJson } from './report/json.js';
export { renderHtml, type HtmlReportOptions } from './report/html.js';
export { renderJunit, xmlEscape } from './report/junit.js';
export { renderMarkdown } from './report/markdown.js';
export { renderSummary } from './report/summary.js';
