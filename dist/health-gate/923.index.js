export const id = 923;
export const ids = [923];
export const modules = {

/***/ 2923:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runGate: () => (/* binding */ runGate)
/* harmony export */ });
/* harmony import */ var _kit_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3713);
/* harmony import */ var _decision_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8426);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2418);
/* harmony import */ var _window_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9124);




async function runGate(s, deps) {
    const { clock, logger } = deps;
    const startedAt = clock.now();
    const finish = (r) => ({
        ...r,
        startedAt,
        endedAt: clock.now()
    });
    let certificate;
    let certificateError;
    if (deps.checkCertificate) {
        try {
            certificate = await deps.checkCertificate();
            logger.info(`Certificate of ${certificate.host}: ${certificate.subject ?? '?'} issued by ${certificate.issuer ?? '?'}, ` +
                `${certificate.daysLeft ?? '?'} days left${certificate.problems.length ? ` — ${certificate.problems.join('; ')}` : ''}`);
        }
        catch (error) {
            certificateError = (0,_kit_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error);
            logger.warning(`Could not read the certificate: ${certificateError}`);
        }
    }
    // A certificate problem belongs to the domain, not to the release: the previous deployment is served
    // with the same certificate, so rolling back cannot fix it. Fail without rolling back.
    if (certificate?.problems.length) {
        const reason = certificate.problems.join('; ');
        logger.error(`Health gate failed: ${reason}`);
        return finish({
            healthy: false,
            decision: { state: 'fail', cause: 'certificate', reason },
            certificate,
            outage: false,
            rolledBack: false
        });
    }
    const window = await (0,_window_js__WEBPACK_IMPORTED_MODULE_2__/* .runProbeWindow */ .$)({
        probe: deps.probe,
        clock,
        initialDelayMs: s.initialDelayMs,
        intervalMs: s.intervalMs,
        windowMs: s.windowMs,
        thresholds: s.thresholds,
        onProbe: p => logger.info((0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatProbeLine */ .wo)(p))
    });
    const base = { window, certificate, certificateError, decision: window.decision };
    if (window.decision.state === 'pass') {
        logger.info(`Health gate passed: ${window.decision.reason}`);
        return finish({ ...base, healthy: true, outage: false, rolledBack: false });
    }
    logger.error(`Health gate failed: ${window.decision.reason}`);
    if (!s.rollback || !deps.rollback) {
        logger.warning('rollback is false: the unhealthy release stays live.');
        return finish({ ...base, healthy: false, outage: false, rolledBack: false });
    }
    const rollback = await rollBack(s, deps, deps.rollback);
    // Committing may fail while the healthy restored version serves: that is no outage, only a pinned app.
    const outage = rollback.activeAt === undefined || rollback.restored?.decision.state !== 'pass';
    return finish({ ...base, healthy: false, rollback, outage, rolledBack: rollback.activeAt !== undefined });
}
async function rollBack(s, deps, port) {
    const { clock, logger } = deps;
    const report = { warnings: [], startedAt: clock.now(), committed: false, endedAt: 0 };
    const done = (error) => ({ ...report, error, endedAt: clock.now() });
    try {
        const target = await port.resolveTarget(s.rollbackTo);
        report.targetDeploymentId = target.deploymentId;
        logger.info(`Rolling back to deployment ${target.deploymentId} (active was ${target.activeDeploymentId ?? 'unknown'})`);
        const r = await port.rollback(target.deploymentId);
        report.rollbackDeploymentId = r.rollbackDeploymentId;
        report.warnings = r.warnings;
        report.activeAt = clock.now();
    }
    catch (error) {
        report.rollbackDeploymentId ??= error.rollbackDeploymentId;
        return done(`the rollback failed: ${(0,_kit_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`);
    }
    // Probe the restored version briefly before making the rollback permanent: at most
    // success-threshold + failure-threshold - 1 probes decide it either way.
    const t = s.thresholds;
    logger.info(`Rollback deployment ${report.rollbackDeploymentId} is ACTIVE; probing the restored version`);
    report.restored = await (0,_window_js__WEBPACK_IMPORTED_MODULE_2__/* .runProbeWindow */ .$)({
        probe: deps.restoredProbe,
        clock,
        initialDelayMs: 0,
        intervalMs: s.intervalMs,
        windowMs: (t.successThreshold + t.failureThreshold - 2) * s.intervalMs,
        thresholds: { successThreshold: t.successThreshold, failureThreshold: t.failureThreshold },
        rules: _decision_js__WEBPACK_IMPORTED_MODULE_3__/* .decideEarly */ .Ou,
        onProbe: p => logger.info(`restored ${(0,_report_js__WEBPACK_IMPORTED_MODULE_1__/* .formatProbeLine */ .wo)(p)}`)
    });
    if (report.restored.decision.state !== 'pass')
        return done(`the restored version is unhealthy too (${report.restored.decision.reason}); the app stays pinned to rollback deployment ` +
            `${report.rollbackDeploymentId} and no rollback was committed`);
    try {
        await port.commit();
        report.committed = true;
    }
    catch (error) {
        // The restored version serves and is healthy; only the unpinning failed.
        return done(`committing the rollback failed (the app stays pinned, serving the healthy restored version): ${(0,_kit_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}`);
    }
    logger.info(`Rollback committed: deployment ${report.rollbackDeploymentId} serves the previous release`);
    return done();
}


/***/ })

};
