r"""The path engine behind :func:`~lecture_code.solvers.enet_path`: ENGINEERING, not course material.

Everything in this module exists only to make enet_path and
lasso_path fast; the chapters teach the solvers of the
other modules of :mod:`lecture_code.solvers`, not this. It uses the
teaching solvers only through the shared helpers ``_Centred``,
``_primal_dual``, ``_exact_gap`` and ``_cd_epoch`` (one pass of coordinate descent). What it guarantees is what every solver
guarantees: each returned point is certified by its duality gap; everything
else is a way of finding such a point quickly.

The pieces: ``_solve_path`` walks the grid (at a loose tol every other point
solved, the points between them interpolated), ``_solve_at``
solves one point from a guess, ``_active_set_newton`` is the sign-guessing
Newton method, ``_FaceInverse`` its linear algebra, ``_GramRows`` the rows of
X^T X it reads (both in :mod:`lecture_code.solvers._gram_rows`), ``_cd_fallback`` the safety net for degenerate designs.

Costs, for a support of k features and m computed Gram rows: a KKT check of
all p features is an m × p product, a face solve from scratch O(k³), an
update of a kept face inverse O(k²), a Python step some 50 numpy calls.
Profiles of the engine as it was tuned on the first two benchmark problems
(benchmarks/solvers.py), on problems it was not tuned to (p > n at another
seed, n = p with strong correlation, n ≫ p), showed: dense face solves and
copies of Gram blocks out of m × p rows taking half the time when k is in
the hundreds; long runs of one-feature steps (one solve per weight that
leaves) after an extrapolated guess had put leaving weights on the wrong
side of 0, or after many weights entered at once near the rank of X (p > n);
and a fixed cost of some 150 µs per point of the grid. Against the first:
``_FaceInverse`` and the square Gram block of ``_GramRows``; against the
second: the guesses kept on the last support (``_solve_at``), the cap on
entering weights and the drop of all wrong-signed weights at once
(``_active_set_newton``); against the third: the interpolated points
(``_solve_path``) and the correlations computed only at face minimisers.

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._gram_rows import _FaceInverse, _GramRows
from ._problem import _Centred, _exact_gap
from .coordinate_descent import _cd_epoch


def _newton_on_face(gram: _GramRows, support: np.ndarray, signs: np.ndarray, kappa: float,
                    mu: float, slack: float = 0.0) -> np.ndarray | None:
    r"""Minimiser of J over the weights in ``support`` with their signs fixed, or None if numerically singular.

    With the signs :math:`s` known, :math:`\lVert w\rVert_1 = s^\top w` and J
    is a quadratic whose minimiser solves
    :math:`(G_{AA} + \mu I)\,w_A = X_A^\top y/n - \kappa s` (with
    ``gram.inverse``, :class:`_FaceInverse`). For the lasso (:math:`\mu = 0`)
    it is affine in :math:`\kappa`,
    :math:`w_A(\kappa) = w_A(\kappa_0) - (\kappa - \kappa_0)v` with
    :math:`G_{AA}v = s`, and :math:`v` costs one more right-hand side: the
    last face solved is kept in ``gram.face``. The next :math:`\lambda`
    usually starts on the same face, which then costs no solve at all.
    """
    face = _cached_face(gram, support, signs, mu)
    if face is not None:
        w = face[3] - (kappa - face[5]) * face[4]
    elif mu == 0.0:
        wv = gram.inverse.solve(support, np.column_stack((gram.xty[support] - kappa * signs, signs)), mu)
        if wv is None:
            return None
        w = wv[:, 0]
        gram.face = (support, signs, mu, w, wv[:, 1], kappa)
    else:  # the elastic net's next lambda has another mu: no use keeping the face
        w = gram.inverse.solve(support, gram.xty[support] - kappa * signs, mu, slack)
        if w is None:
            return None
    return w if np.all(np.isfinite(w)) else None


def _cached_face(gram: _GramRows, support: np.ndarray, signs: np.ndarray, mu: float) -> tuple | None:
    """``gram.face`` if it is the face system for these support, signs and mu."""
    face = gram.face
    if (face is not None and face[2] == mu and face[0].size == support.size and np.array_equal(face[0], support)
            and np.array_equal(face[1], signs)):
        return face
    return None


def _same_face_minimiser(gram: _GramRows, w: np.ndarray, kappa: float, mu: float) -> np.ndarray | None:
    r"""The minimiser of J on the face of ``w``, from the last face system solved, if that is ``w``'s face.

    None if the kept face is another one (or has another :math:`\mu`), or if
    its minimiser at this :math:`\kappa` leaves the face (a sign changes).
    """
    face = gram.face
    if face is None or face[2] != mu:
        return None
    support, signs = face[0], face[1]
    if np.count_nonzero(w) != support.size or not np.array_equal(np.sign(w[support]), signs):
        return None
    target = face[3] - (kappa - face[5]) * face[4]
    if not np.all(signs * target > 0):
        return None
    guess = np.zeros_like(w)
    guess[support] = target
    return guess


def _enter_one(gram: _GramRows, w: np.ndarray, corr: np.ndarray, j: int, kappa: float,
               mu: float) -> tuple[np.ndarray, bool] | None:
    r"""Let the violator ``j`` join the support of a face minimiser ``w``, by a line search on the new face.

    With :math:`A` the support, :math:`s_j = \operatorname{sign}(c_j)` and
    :math:`H = G + \mu I`, the direction :math:`d = s_j(-H_{AA}^{-1}H_{Aj}, 1)`
    keeps the face's KKT conditions on :math:`A` and J along it is
    :math:`J(w) - (|c_j| - \kappa)t + \tfrac12\sigma t^2` with the Schur
    complement :math:`\sigma = H_{jj} - H_{jA}H_{AA}^{-1}H_{Aj} \ge 0`. It
    moves to the minimum :math:`t = (|c_j| - \kappa)/\sigma`, or, first, to
    where a weight of :math:`A` reaches 0 (dropped): the only way forward
    when :math:`\sigma = 0`, i.e. :math:`X_j` lies in the span of
    :math:`X_A` (more features than samples), where the face system is
    singular. Returns ``(w, face_optimal)``, or None if no step is possible.
    """
    free = np.flatnonzero(w)
    gram.add(np.append(free, j))
    h = gram.block(free, np.array([j]))[:, 0]
    z = gram.inverse.solve(free, h, mu) if free.size else np.empty(0)
    if z is None:
        return None
    s_j, drive = np.sign(corr[j]), abs(corr[j]) - kappa
    schur = gram.block(np.array([j]))[0, 0] + mu - h @ z
    t_min = drive / schur if schur > _FaceInverse.SINGULAR * (gram.block(np.array([j]))[0, 0] + mu) else np.inf
    d = -s_j * z
    current = w[free]
    shrinking = current * d < 0
    ratios = np.full(free.size, np.inf)
    ratios[shrinking] = -current[shrinking] / d[shrinking]
    t = min(t_min, ratios.min(initial=np.inf))
    if not (np.isfinite(t) and t > 0 and np.all(np.isfinite(z))):
        return None
    moved = current + t * d
    moved[ratios <= t] = 0.0
    w = np.zeros_like(w)
    w[free] = moved
    w[j] = s_j * t
    return w, bool(t_min <= t)


def _active_set_newton(gram: _GramRows, w: np.ndarray, lam: float, alpha: float, target_gap: float,
                       max_steps: int, face_optimal: bool = False,
                       enter_first: bool = False) -> tuple[np.ndarray, int, float]:
    r"""Solve the elastic net at one :math:`\lambda` by guessing the signs of the solution.

    A primal active-set method (in the spirit of Lee et al.'s feature-sign
    search). On an orthant face (fixed signs) J is a quadratic, minimised by
    one linear solve (:func:`_newton_on_face`). Repeat:

    * if the face minimiser keeps the signs, move there. Then zero weights
      that violate their KKT condition :math:`|c_j| \le \kappa`, with
      :math:`c = X^\top r/n` checked on *all* features (so none is ever
      wrongly left out), join the support with the sign of :math:`c_j`, all
      at once (for the lasso at most half of the room left below the rank
      of X, the largest violators first: near that rank, p > n, a face with
      many entering weights is nearly singular and its minimiser
      meaningless). Those whose weight in the new face minimiser has the
      wrong sign (or that make the face singular) stay at 0 and the face is
      solved again without them; only if none is left does the largest
      violator join alone (from a face minimiser, a single entering weight
      always moves the right way; :func:`_enter_one` when its face is
      singular);
    * otherwise move towards it only until the first weight reaches 0, and
      drop that weight (J decreases on the segment because it is convex and
      equals the face quadratic there), or, when that gives a lower J, zero
      every weight of the wrong sign at once (:func:`_drop_all_wrong`): one
      solve instead of one per weight when the start was far off.

    J decreases at every step, so no face is visited twice. J is followed
    along the steps from the face quadratic; the correlations, the duality
    gap and the KKT check of all features (an m × p product) are computed
    only at face minimisers and at the start.

    ``face_optimal`` says that ``w`` is already the minimiser of J on its
    face (the caller knows it when ``w`` comes from
    :func:`_same_face_minimiser`), so that violators may join at the first
    step. ``enter_first`` lets them join at the first step anyway when there
    are at most ``_FEW_VIOLATORS`` of them: from a good extrapolation (the
    elastic net's guess) the few violators are the features about to enter,
    which saves the solve on the old face; many violators mean the guess is
    off, and entering them from a point that is not a face minimiser costs
    more steps than it saves. It stops when the duality gap (from Gram
    quantities) is at most ``target_gap``, or at an exact solution: a face
    minimiser without KKT violators. From a warm start on a path the signs
    rarely change between two :math:`\lambda`, so a few solves suffice.
    Returns ``(w, steps, gap)``; the gap exceeds the target when the steps
    ran out or a system was numerically singular (duplicated columns entering
    together, say): the caller then falls back to coordinate descent.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    face_optimal = face_optimal or not w.any()  # w = 0 minimises J on its face {0}
    slack = 1e-12 * kappa  # rounding allowance in the KKT check
    step, check = 0, True
    while True:
        if check:
            corr = gram.corr(w)
            gap, J = gram.gap(w, corr, lam, alpha)
            free = w != 0
            excess = np.where(free, -np.inf, np.abs(corr) - kappa)
            violators = excess > slack
            if gap <= target_gap or (face_optimal and not violators.any()):
                return w, step, gap
            few = step == 0 and enter_first and np.count_nonzero(violators) <= _FEW_VIOLATORS
            enter = violators if face_optimal or few else np.zeros_like(free)
            room = (gram.rank_bound - np.count_nonzero(free)) // 2
            if mu == 0.0 and np.count_nonzero(enter) > max(room, 1):
                # Near the rank of X (p > n) a face with many entering weights is (nearly) singular and its
                # minimiser meaningless: only the largest violators join, at most half of the room left.
                enter = np.zeros_like(free)
                enter[np.argsort(excess)[::-1][: max(room, 1)]] = True
        else:  # between face minimisers only the support and J are needed
            free = w != 0
            enter = np.zeros_like(free)
        if step == max_steps:
            return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
        single = False
        while True:
            support = np.flatnonzero(free | enter)
            gram.add(support)
            entering = enter[support]
            signs = np.where(entering, np.sign(corr[support]), np.sign(w[support]))
            target = _newton_on_face(gram, support, signs, kappa, mu, 0.05 * target_gap)
            step += 1
            current = w[support]
            if target is None:  # singular: entering weights make X_A rank-deficient (p > n)
                if not entering.any():
                    return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
                wrong_entry = entering
            else:
                b = gram.xty[support] - kappa * signs
                J_min = 0.5 * gram.yy - 0.5 * float(b @ target)  # J at the face minimiser, from H v* = b
                wrong = signs * target < 0
                if not wrong.any():
                    move = "minimiser"
                    break
                # Step to the first sign change: J decreases on the segment (convex, the face quadratic there).
                ratios = np.full(support.size, np.inf)
                ratios[wrong] = current[wrong] / (current[wrong] - target[wrong])  # 0 for an entering weight
                t = ratios.min()
                J_step = J_min + (1.0 - t) ** 2 * (J - J_min)
                J_drop = _drop_all_wrong(gram, support, target, wrong, J_min, mu)
                if J_drop < J_step:
                    move = "drop"
                    break
                wrong_entry = wrong & entering
                if not wrong_entry.any():
                    move = "first sign change"
                    break
            if single:
                # The face with the largest violator is (numerically) singular: X_j is in the span of the support
                # (p > n). Move along the face's edge instead, until a weight leaves.
                moved = _enter_one(gram, w, corr, int(np.argmax(excess)), kappa, mu)
                if moved is None:
                    return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
                move = "edge"
                break
            if step == max_steps:
                return w, step, gram.gap(w, gram.corr(w), lam, alpha)[0]
            # Entering weights whose face minimiser has the wrong sign stay at 0: solve again without them,
            # or, if none is left, with the largest violator alone (from a face minimiser, a single entering
            # weight always moves the right way).
            enter[support[wrong_entry]] = False
            if not enter.any():
                enter[np.argmax(excess)] = single = True
        if move == "edge":
            (w, face_optimal), check = moved, True
            continue
        w = np.zeros_like(w)
        if move == "minimiser":
            w[support], J = target, J_min
        elif move == "drop":
            w[support], J = np.where(wrong, 0.0, target), J_drop
        else:
            moved = current + t * (target - current)
            moved[ratios <= t] = 0.0
            w[support], J = moved, J_step
        face_optimal = check = move == "minimiser"


_FEW_VIOLATORS = 4  # see _active_set_newton's enter_first


def _drop_all_wrong(gram: _GramRows, support: np.ndarray, target: np.ndarray, wrong: np.ndarray, J_min: float,
                    mu: float) -> float:
    r"""J after zeroing every wrong-signed weight of the face minimiser :math:`v^*` (W: those weights).

    The step to the first sign change drops one weight per face solved; when
    many weights of the face minimiser have the wrong sign (a start far from
    the new solution), that is one solve per weight. Zeroing all of them in
    the face minimiser lands on a sub-face, where J is the same face quadratic
    :math:`J(v^*) + \tfrac12(v - v^*)^\top H(v - v^*)`, that is
    :math:`J(v^*) + \tfrac12 v_W^{*\top} H_{WW} v^*_W`. The caller takes
    this move when it gives a lower J than the first sign change, so J still
    decreases at every step.
    """
    dropped = support[wrong]
    H = gram.block(dropped)
    H.flat[:: dropped.size + 1] += mu
    v = target[wrong]
    return J_min + 0.5 * float(v @ H @ v)


def _cd_fallback(prob: _Centred, gram: _GramRows, w: np.ndarray, lam: float, alpha: float, target_gap: float,
                 max_epochs: int) -> tuple[np.ndarray, int, float]:
    """Coordinate descent on a working set, for the rare λ where the active-set method gives up.

    The working set is every feature that is non-zero or violates its KKT
    condition; every 10 passes the exact gap is computed and new violators join.
    """
    kappa, mu = lam * alpha, lam * (1.0 - alpha)
    gap, corr = _exact_gap(prob, w, lam, alpha)
    epochs = 0
    while gap > target_gap and epochs < max_epochs:
        work = np.flatnonzero((w != 0) | (np.abs(corr) > kappa))
        gram.add(work)
        G = gram.block(work)
        w_work, corr_work = w[work], corr[work]
        for _ in range(min(10, max_epochs - epochs)):
            _cd_epoch(G, corr_work, w_work, kappa, mu)
            epochs += 1
        w = np.zeros_like(w)
        w[work] = w_work
        gap, corr = _exact_gap(prob, w, lam, alpha)
    return w, epochs, gap


def _solve_path(prob: _Centred, lambdas: np.ndarray, alpha: float, tol: float,
                max_iter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""The path engine's entry point: the solutions for ``lambdas`` (decreasing), each within ``tol``.

    Returns ``(coefs, gaps, n_iter)`` as in :class:`PathResult` (``gaps``
    relative to J(0)). Warm starts along the grid (:func:`_solve_at`), but
    not at every point: the lasso path is piecewise linear in
    :math:`\lambda` (and the elastic net's is smooth between changes of
    support), so once two solutions are known the points of the grid
    between them are, to within a loose ``tol``, their linear interpolation.
    The engine solves a subsequence of the grid, ``_STRIDE`` points apart at
    most, and tries the interpolation at the points in between: each is kept
    if its duality gap is within ``tol`` and solved from it otherwise. The
    stride grows while the interpolations are kept and falls back to 1 at
    the first that is not (the path changes fast there, or ``tol`` is
    tight), for a number of points that doubles at each failure: at a tight
    ``tol`` the interpolations almost never pass, and are soon hardly tried.
    Every point is certified by its own duality gap. This is done only at a
    loose ``tol`` (from ``_LOOSE_TOL`` = 1e-5 up, which includes 2e-4, the
    equivalent of scikit-learn's default): an interpolation is within ``tol``
    but, unlike the face minimiser a solve gives, no closer, and at the
    default ``tol`` = 1e-6 the course's pages compare whole paths
    (cross-validation curves) with scikit-learn's to six digits.
    """
    p, k = prob.X.shape[1], lambdas.size
    coefs, gaps, n_iter = np.zeros((p, k)), np.zeros(k), np.zeros(k, dtype=int)
    gram = _GramRows(prob.X, prob.y)
    j0 = prob.j0
    target = tol * j0

    def record(i, w, gap, steps):
        coefs[:, i], gaps[i], n_iter[i] = w, gap / j0 if j0 > 0 else gap, steps  # gap relative to J(0)

    last, stride, wait, patience = -1, 1, 0, 1
    max_stride = _STRIDE if tol >= _LOOSE_TOL else 1
    w, w_before, lam_last, lam_before = np.zeros(p), None, np.inf, np.inf  # the last two points solved
    while last < k - 1:
        i = min(last + stride, k - 1)
        lam = lambdas[i]
        w_i, gap, steps = _solve_at(prob, gram, lam, alpha, target, max_iter, w, w_before, lam_last, lam_before)
        record(i, w_i, gap, steps)
        kept_face, interpolated = gram.face, True
        for m in range(last + 1, i):  # the points in between, from the interpolation of their neighbours
            lam_m = lambdas[m]
            guess = w + (lam_m - lam_last) / (lam - lam_last) * (w_i - w)
            gap_m, steps_m = gram.gap(guess, gram.corr(guess), lam_m, alpha)[0], 0
            if gap_m > target:
                interpolated = False
                guess, steps_m, gap_m = _active_set_newton(gram, guess, lam_m, alpha, target, max_iter)
                if gap_m > target:
                    guess, epochs, gap_m = _cd_fallback(prob, gram, guess, lam_m, alpha, target, max_iter - steps_m)
                    steps_m += epochs
            record(m, guess, gap_m, steps_m)
        gram.face = kept_face  # the face of w_i, for the next guess
        if not interpolated:  # back to every point, and wait twice as long as last time before trying again
            stride, wait, patience = 1, patience, 2 * patience
        elif wait:
            wait -= 1
        else:
            stride = min(2 * stride, max_stride)
        if i - last > 1:
            w_before, lam_before = coefs[:, i - 1], lambdas[i - 1]
        else:
            w_before, lam_before = w, lam_last
        w, lam_last, last = w_i, lam, i
    return coefs, gaps, n_iter


_STRIDE = 2  # the largest step along the grid between two points solved (see _solve_path)
_LOOSE_TOL = 1e-5  # interpolated points only from this tol up (see _solve_path)


def _solve_at(prob: _Centred, gram: _GramRows, lam: float, alpha: float, target: float, max_iter: int,
              w: np.ndarray, w_before: np.ndarray | None, lam_last: float,
              lam_before: float) -> tuple[np.ndarray, float, int]:
    r"""Solve at ``lam`` from the solutions ``w`` at ``lam_last`` and ``w_before`` at ``lam_before`` (larger λ).

    Returns ``(w, gap, steps)``. First a guess, often within ``target``
    already so that no system is solved: for the lasso the exact minimiser
    of the new J on the face of ``w`` (:func:`_same_face_minimiser`);
    otherwise the linear extrapolation of the last two solutions on the
    support of ``w`` (a weight that would change sign stops at 0: the
    extrapolation of a weight that left, or is leaving, would put it on the
    wrong side of 0 and send the active-set method down a long series of
    one-feature steps). Then :func:`_active_set_newton`, and for the rare
    :math:`\lambda` where it gives up, :func:`_cd_fallback`.
    """
    guess, steps = _same_face_minimiser(gram, w, lam * alpha, lam * (1.0 - alpha)), 0
    on_face = guess is not None
    if not on_face:
        guess = w
        if w_before is not None and np.isfinite(lam_before):
            slope = (lam - lam_last) / (lam_last - lam_before)
            guess = np.where(w != 0, w + slope * (w - w_before), 0.0)
            guess[guess * w < 0] = 0.0
    gap = gram.gap(guess, gram.corr(guess), lam, alpha)[0]
    if gap <= target:
        return guess, gap, 0
    enet_guess = not on_face and alpha < 1.0  # an extrapolation (see _active_set_newton's enter_first)
    w, steps, gap = _active_set_newton(gram, guess if on_face or enet_guess else w, lam, alpha, target, max_iter,
                                       face_optimal=on_face, enter_first=enet_guess)
    if gap > target:
        w, epochs, gap = _cd_fallback(prob, gram, w, lam, alpha, target, max_iter - steps)
        steps += epochs
    return w, gap, steps
