r"""The path engine's linear algebra: the Gram-row cache and the kept face inverse. ENGINEERING.

:class:`_GramRows` computes the rows of :math:`X^\top X/n` only for the features that enter a
path and answers the correlations and duality gaps from them; :class:`_FaceInverse` keeps the
inverse of the current face system up to date as weights join and leave. Both exist only to make
:mod:`lecture_code.solvers._path_engine` fast (its docstring says why and what they cost).

Import rule: numpy and lecture_code's numerics only; never matplotlib, ipywidgets,
lecture_code.explorers, plots, checks, comparison or experiments, and nothing from book/ or tests/.
"""

from __future__ import annotations

import numpy as np

from ._problem import _primal_dual


class _GramRows:
    r"""Rows of the Gram matrix :math:`G = X^\top X/n`, computed only for features that enter a model.

    Along a sparse path only a fraction of the features is ever non-zero, and
    every quantity the path solver needs comes from their rows: the
    correlations of *all* features with the residual,
    :math:`X^\top r/n = X^\top y/n - G w` (a product with the rows of the
    non-zero weights), and the blocks :math:`G_{AB}` of the face systems. A
    row costs one product with X when its feature first enters and is kept
    for the rest of the path (storage grows by doubling). The square block of
    the computed rows (``_inner``) is kept as well, so that a block
    :math:`G_{AB}` is copied out of an m × m array rather than out of m × p
    rows. When :math:`n \ge p` the whole Gram matrix is computed at once
    instead: most features enter a path sooner or later, and one large product
    is cheaper.

    It also carries the path's solver state: ``inverse`` (a
    :class:`_FaceInverse`) and ``face``, the last face system solved (see
    :func:`_newton_on_face`).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray):
        n, p = X.shape
        self.X, self.n = X, n
        self.xty = X.T @ y / n
        self.yy = float(y @ y) / n
        self.pos = np.full(p, -1)  # row of each feature in self._rows, -1 if not computed
        self.index = np.empty(0, dtype=np.intp)  # feature of each row
        cap = min(p, 32)
        self._rows, self._inner = np.empty((cap, p)), np.empty((cap, cap))
        self.face = None  # the last face system solved, see _newton_on_face
        self._memo = ((None, None), (None, None))  # see corr
        if n >= p:  # X^T X is recognised by numpy as a symmetric product (half the work)
            self._rows = self._inner = X.T @ X / n
            self.index = np.arange(p)
            self.pos = self.index.copy()
        self.diag = self._rows.diagonal().copy() if n >= p else np.einsum("ij,ij->j", X, X) / n  # G_jj
        self.rank_bound = min(n, p)
        self.inverse = _FaceInverse(self)

    def add(self, features: np.ndarray) -> None:
        """Compute the rows of ``features`` that are not there yet."""
        new = features[self.pos[features] < 0]
        if new.size == 0:
            return
        m, need = self.index.size, self.index.size + new.size
        if need > self._rows.shape[0]:
            cap = max(need, 2 * self._rows.shape[0])
            rows, inner = np.empty((cap, self._rows.shape[1])), np.empty((cap, cap))
            rows[:m], inner[:m, :m] = self._rows[:m], self._inner[:m, :m]
            self._rows, self._inner = rows, inner
        self._rows[m:need] = self.X[:, new].T @ self.X / self.n
        self.pos[new] = np.arange(m, need)
        self.index = np.concatenate([self.index, new])
        self._inner[m:need, :need] = self._rows[m:need].take(self.index, axis=1)
        self._inner[:m, m:need] = self._inner[m:need, :m].T

    def corr(self, w: np.ndarray) -> np.ndarray:
        """:math:`X^\\top(y - Xw)/n` for a ``w`` whose non-zero entries all have rows (read-only result).

        The last two results are remembered by the identity of ``w`` (the path
        never modifies a weight vector in place): a new :math:`\\lambda` starts
        from the previous solution, whose correlations are then free.
        """
        for seen, corr in self._memo:
            if seen is w:
                return corr
        corr = self.xty - self._rows[: self.index.size].T @ w[self.index]
        self._memo = ((w, corr), self._memo[0])
        return corr

    def block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """The block :math:`G_{AB}` (``cols`` default: ``rows``) for features that have rows."""
        pos_rows = self.pos[rows]
        pos_cols = pos_rows if cols is None else self.pos[cols]
        return self._inner.take(pos_rows, axis=0).take(pos_cols, axis=1)  # much faster than np.ix_

    def gap(self, w: np.ndarray, corr: np.ndarray, lam: float, alpha: float) -> tuple[float, float]:
        """Absolute duality gap and J at ``w`` from Gram quantities (``corr`` = :meth:`corr` (w)), no product with X."""
        xty_w = float(self.xty @ w)
        r2 = self.yy - xty_w - float(w @ corr)  # ||y - Xw||^2/n, as w^T G w = w^T(X^T y/n - corr)
        primal, dual = _primal_dual(r2, self.yy - xty_w, corr, w, lam, alpha)
        return primal - dual, primal


class _FaceInverse:
    r"""Solves face systems :math:`(G_{AA} + \mu I)x = b`, keeping the inverse of large ones up to date.

    A face of fewer than ``DIRECT`` features is solved directly (LU, via
    ``np.linalg.solve``). For a larger one a direct solve, :math:`O(k^3)`,
    costs far more than following the few features that enter or leave
    between two solves: the inverse of :math:`H = G_{AA} + \mu I` is kept,
    with the block :math:`H` itself, in :math:`O(k^2)` per feature. A
    feature j joins by bordering: with :math:`h = H_{Aj}`, :math:`z = H^{-1}h`
    and the Schur complement :math:`s = H_{jj} - h^\top z > 0`,

    .. math::

        \begin{pmatrix} H & h\\ h^\top & H_{jj}\end{pmatrix}^{-1}
        = \begin{pmatrix} H^{-1} + zz^\top/s & -z/s\\ -z^\top/s & 1/s\end{pmatrix}

    (several features join at once with the block version). It leaves by the
    same formula read backwards: with :math:`u` the column of :math:`H^{-1}`
    for j, the inverse without j is :math:`(H^{-1})_{-j,-j} - u_{-j}u_{-j}^\top/u_j`.
    A Schur complement below ``SINGULAR`` times :math:`H_{jj}` means that
    :math:`X_j` lies (numerically) in the span of :math:`X_A` (more features
    than samples, lasso): that face is singular and :meth:`solve` returns None.
    When many features change at once the inverse is rebuilt from the block.

    **Elastic net.** :math:`\mu = \lambda(1-\alpha)` changes with
    :math:`\lambda`. The inverse is kept for a reference :math:`\mu_0`, and a
    system with another :math:`\mu` is solved by conjugate gradients
    preconditioned with it: the preconditioned matrix
    :math:`I + (\mu - \mu_0)H^{-1}` has its eigenvalues between
    :math:`\mu/\mu_0` and 1, so a few iterations suffice while
    :math:`\mu_0/\mu \le` ``DRIFT``; past that (about every 20 points of the
    default grid) the inverse is rebuilt at the new :math:`\mu`. The
    iterations stop as soon as the residual can no longer matter at the
    path's tolerance (``slack``, see :meth:`solve`).

    **Accuracy.** Every solution's residual is checked against the block;
    if needed it gets one step of iterative refinement, and an inverse that
    has drifted is rebuilt from the block (as accurate as a direct solve).
    """

    DIRECT = 96  # faces smaller than this are solved directly: LU is then as cheap as following the inverse
    SINGULAR = 1e-10  # relative Schur complement below which a joining feature makes the face singular
    DRIFT = 4.0  # the elastic net rebuilds the inverse when mu has changed by this factor

    def __init__(self, gram: _GramRows):
        p = gram.xty.size
        self.gram = gram
        self.features = np.empty(0, dtype=np.intp)  # the features of A, in the order of the rows of H
        self.slot = np.full(p, -1)  # row of each feature in H, -1 if not in A
        self.mu = 0.0
        self._H = self._Hinv = np.empty((0, 0))

    def solve(self, support: np.ndarray, rhs: np.ndarray, mu: float, slack: float = 0.0) -> np.ndarray | None:
        """:math:`(G_{AA} + \\mu I)^{-1}` ``rhs`` for A = ``support`` (``rhs`` in its order); None if singular.

        ``slack`` (units of J) allows an inexact solution with residual r when
        :math:`\\lVert r\\rVert_\\infty\\lVert x\\rVert_1` is below it (only the
        conjugate gradients use it): a face minimiser with residual r raises the
        duality gap by at most about :math:`2\\lVert r\\rVert_\\infty\\lVert x\\rVert_1`.
        """
        k = support.size
        if k < self.DIRECT:
            H = self.gram.block(support)
            H.flat[:: k + 1] += mu
            try:
                return np.linalg.solve(H, rhs)
            except np.linalg.LinAlgError:
                return None
        if not self._follow(support, mu):
            return None
        rows = self.slot[support]
        b = np.empty_like(rhs)
        b[rows] = rhs
        x = self._solve(b, mu, slack)
        if x is None:  # the kept inverse has drifted (or the face is nearly singular): rebuild it, solve again
            if not self._rebuild(self.features, mu):
                return None
            x = self._solve(b, mu, slack)
            if x is None:
                return None
        return x[rows]

    def _solve(self, b: np.ndarray, mu: float, slack: float) -> np.ndarray | None:
        k = self.features.size
        H, Hinv, shift = self._H[:k, :k], self._Hinv[:k, :k], mu - self.mu
        x = Hinv @ b
        if shift != 0.0:
            if b.ndim == 1:
                return self._cg(H, Hinv, shift, b, x, slack)
            cols = [self._cg(H, Hinv, shift, col, x0, slack) for col, x0 in zip(b.T, x.T)]
            return None if any(c is None for c in cols) else np.column_stack(cols)
        # The residual relative to |b| + |H||x| (a backward error) should be at rounding level (1e-14), as a
        # direct solve's is: the KKT checks at a tight tolerance rely on it. If not, up to two steps of iterative
        # refinement; still above 1e-10 after them means the kept inverse has drifted.
        scale = np.abs(b).max(axis=0) + self._hmax() * np.abs(x).sum(axis=0)
        for refinements in range(3):
            residual = b - H @ x
            size = np.abs(residual).max(axis=0)
            if np.all(size <= 1e-14 * scale) or refinements == 2:
                break
            x += Hinv @ residual
        return x if np.all(size <= 1e-10 * scale) else None

    def _hmax(self) -> float:
        """The largest entry of H (on its diagonal, H being positive definite)."""
        return float(self.gram.diag[self.features].max()) + self.mu

    def _cg(self, H, Hinv, shift, b, x, slack, max_iter=30):
        r"""Conjugate gradients for :math:`(H + \text{shift}\cdot I)x = b` from ``x``, preconditioner :math:`H^{-1}`."""
        floor = 1e-12 * (np.abs(b).max() + (self._hmax() + abs(shift)) * np.abs(x).sum())  # rounding level
        r = b - H @ x - shift * x
        z = Hinv @ r
        d, rz = z, float(r @ z)
        for it in range(max_iter + 1):
            r_max = np.abs(r).max()
            if r_max <= floor or r_max * np.abs(x).sum() <= slack:
                return x
            if it == max_iter:
                return None
            q = H @ d + shift * d
            step = rz / float(d @ q)
            x = x + step * d
            r = r - step * q
            z = Hinv @ r
            rz, rz_old = float(r @ z), rz
            d = z + (rz / rz_old) * d

    def _follow(self, support: np.ndarray, mu: float) -> bool:
        """Bring the kept inverse to the face ``support`` (False if that face is singular)."""
        inside = self.slot[support] >= 0
        joining = support[~inside]
        leaving = self.features.size - np.count_nonzero(inside)
        if (leaving + joining.size > 8 + support.size // 4  # cheaper (and more accurate) to start again
                or (mu > 0 and not self.mu / self.DRIFT <= mu <= self.DRIFT * self.mu)):
            return self._rebuild(support, mu)
        if leaving:
            keep = np.zeros(self.slot.size, dtype=bool)
            keep[support] = True
            for j in self.features[~keep[self.features]]:
                if not self._leave(j):
                    return self._rebuild(support, mu)
        return self._join(joining) if joining.size else True

    def _rebuild(self, features: np.ndarray, mu: float) -> bool:
        k = features.size
        H = self.gram.block(features)
        H.flat[:: k + 1] += mu
        try:
            Hinv = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            return False
        if not np.all(np.isfinite(Hinv)):
            return False
        self._reserve(k, keep=0)
        self._H[:k, :k], self._Hinv[:k, :k] = H, Hinv
        self.slot[self.features] = -1
        self.features, self.mu = features.copy(), mu
        self.slot[features] = np.arange(k)
        return True

    def _reserve(self, k: int, keep: int) -> None:
        if k > self._H.shape[0]:
            cap = max(k, 2 * self._H.shape[0], 2 * self.DIRECT)
            H, Hinv = np.empty((cap, cap)), np.empty((cap, cap))
            H[:keep, :keep], Hinv[:keep, :keep] = self._H[:keep, :keep], self._Hinv[:keep, :keep]
            self._H, self._Hinv = H, Hinv

    def _join(self, new: np.ndarray) -> bool:
        k, m = self.features.size, new.size
        C = self.gram.block(self.features, new)  # H_{A,new}: mu is only on the diagonal
        D = self.gram.block(new)
        D.flat[:: m + 1] += self.mu
        Hinv = self._Hinv[:k, :k]
        if m == 1:  # the common case, with vectors (an outer product is twice as fast as the matrix product)
            h = C[:, 0]
            z = Hinv @ h
            s = D[0, 0] - h @ z
            if not s > self.SINGULAR * D[0, 0]:
                return False
            zs = z / s
            Hinv += np.multiply.outer(z, zs)
            self._reserve(k + 1, keep=k)
            self._Hinv[:k, k] = self._Hinv[k, :k] = -zs
            self._Hinv[k, k] = 1.0 / s
        else:
            Z = Hinv @ C
            S = D - C.T @ Z  # the Schur complement of the new features
            try:
                L = np.linalg.cholesky(S)  # its squared diagonal: the one-feature Schur complements, in turn
            except np.linalg.LinAlgError:
                return False
            if not np.all(np.diag(L) ** 2 > self.SINGULAR * np.diag(D)):
                return False
            Sinv = np.linalg.inv(S)
            ZS = Z @ Sinv
            Hinv += ZS @ Z.T
            self._reserve(k + m, keep=k)
            self._Hinv[:k, k:k + m] = -ZS
            self._Hinv[k:k + m, :k] = -ZS.T
            self._Hinv[k:k + m, k:k + m] = Sinv
        H = self._H
        H[:k, k:k + m], H[k:k + m, :k], H[k:k + m, k:k + m] = C, C.T, D
        self.slot[new] = np.arange(k, k + m)
        self.features = np.concatenate([self.features, new])
        return True

    def _leave(self, j: int) -> bool:
        k, i = self.features.size, self.slot[j]
        last = k - 1
        if i != last:  # move j to the last row and column
            for M in (self._H, self._Hinv):
                M[[i, last], :k] = M[[last, i], :k]
                M[:k, [i, last]] = M[:k, [last, i]]
            other = self.features[last]
            self.features[i], self.features[last] = other, j
            self.slot[other], self.slot[j] = i, last
        u, d = self._Hinv[:last, last], self._Hinv[last, last]
        if not d > 0:
            return False
        self._Hinv[:last, :last] -= np.multiply.outer(u, u / d)
        self.features = self.features[:last]
        self.slot[j] = -1
        return True
