"""Chapter 9: the LARS segment explorer, checked against the KKT conditions of the lasso on every segment."""

import base64

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lecture_code.data import make_regression  # noqa: E402
from lecture_code.explorers import lars_segment_explorer, lars_segments  # noqa: E402
from lecture_code.solvers.lars import lars_path  # noqa: E402
from explorer_payload import PNG_MAGIC, explorer_payload as _payload  # noqa: E402


@pytest.fixture(scope="module")
def problem():
    data = make_regression(50, 6, n_informative=3, rho=0.4, noise=0.5, intercept=1.0, seed=4)
    Xc, yc = data.X - data.X.mean(axis=0), data.y - data.y.mean()
    return data.X, data.y, Xc, yc, lars_path(data.X, data.y)


def test_every_segment_satisfies_the_kkt_conditions(problem):
    X, y, Xc, yc, path = problem
    lams, coefs, corr = lars_segments(path, Xc, yc)
    assert lams.size == path.lambdas.size - 1 and np.all(np.diff(lams) < 0)
    for i, lam in enumerate(lams):
        active = coefs[:, i] != 0
        assert np.allclose(np.abs(corr[active, i]), lam, rtol=1e-8)
        assert np.all(np.abs(corr[~active, i]) < lam)
    assert np.allclose(corr, Xc.T @ (yc[:, None] - Xc @ coefs) / len(y))


def test_one_png_frame_per_shown_segment_with_alt_text_naming_the_active_features(problem):
    X, y, Xc, yc, path = problem
    names = [f"x{j}" for j in range(X.shape[1])]
    explorer = lars_segment_explorer(path, Xc, yc, names, [0, 2], dataset="toy", start=1)
    payload = _payload(explorer.to_html())
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert len(frames) == 2 and all(f.startswith(PNG_MAGIC) for f in frames) and frames[0] != frames[1]
    lams, coefs, _ = lars_segments(path, Xc, yc)
    first_active = [names[j] for j in np.flatnonzero(coefs[:, 0])]
    assert payload["alts"][0].startswith("Left: the 6 weights of the toy lasso path")
    assert f"the {len(first_active)} active features ({', '.join(first_active)})" in payload["alts"][0]
    assert payload["labels"] == [f"λ = {lams[0]:.3g}", f"λ = {lams[2]:.3g}"]
