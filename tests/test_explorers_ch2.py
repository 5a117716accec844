"""The chapter-2 explorer: a λ slider over ridge polynomial fits and their weights."""

import base64
import json
import re

import numpy as np
import pytest

from lecture_code.data import make_curve_data
from lecture_code.model_selection import train_validation_split
from lecture_code.explorers import Explorer, ridge_polynomial_explorer
from explorer_payload import PNG_MAGIC  # noqa: E402



@pytest.fixture(scope="module")
def sample():
    data = make_curve_data(30, noise=0.25, seed=0)
    train_idx, val_idx = train_validation_split(30, val_fraction=1 / 3, seed=0)
    return data, train_idx, val_idx


def _ridge_weights(x, y, degree, lam):
    # Independent reference: standardised powers, centred normal equations.
    raw = x[:, None] ** np.arange(1, degree + 1)
    Z = (raw - raw.mean(0)) / raw.std(0)
    Zc, yc, n = Z - Z.mean(0), y - y.mean(), len(y)
    return np.linalg.solve(Zc.T @ Zc + n * lam * np.eye(degree), Zc.T @ yc)


def test_one_distinct_frame_and_alt_text_per_lambda(sample):
    data, tr, va = sample
    lambdas = [1e-6, 1e-3, 1.0]
    explorer = ridge_polynomial_explorer(data.x, data.y, tr, va, 9, lambdas, start=1)
    assert isinstance(explorer, Explorer) and explorer.start == 1
    page = explorer.to_html()
    payload = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page, re.S)
                         .group(1).replace("<\\/", "</"))
    frames = [base64.b64decode(f) for f in payload["frames"]]
    assert len(frames) == 3 and all(f.startswith(PNG_MAGIC) for f in frames) and len(set(frames)) == 3
    assert payload["labels"] == ["1.0e-06", "1.0e-03", "1.0e+00"]
    for lam, text in zip(lambdas, payload["alts"]):
        assert f"lambda = {lam:.1e}" in text and "none exactly zero" in text


def test_alt_text_reports_the_ridge_weights_and_degrees_of_freedom(sample):
    data, tr, va = sample
    lam, degree = 1e-2, 7
    explorer = ridge_polynomial_explorer(data.x, data.y, tr, va, degree, [lam])
    w = _ridge_weights(data.x[tr], data.y[tr], degree, lam)
    text = explorer.alt(0)
    assert f"largest absolute weight {np.abs(w).max():.3g}" in text
    # df from the eigenvalues of the centred Gram matrix, computed independently.
    raw = data.x[tr][:, None] ** np.arange(1, degree + 1)
    Z = (raw - raw.mean(0)) / raw.std(0)
    eig = np.linalg.eigvalsh((Z - Z.mean(0)).T @ (Z - Z.mean(0)))
    df = np.sum(eig / (eig + len(tr) * lam))
    assert f"effective degrees of freedom {df:.1f}" in text


@pytest.mark.parametrize("kwargs, error, match", [
    ({"lambdas": [0.0, 1.0]}, ValueError, "lambdas must all be > 0"),
    ({"lambdas": [[1.0]]}, ValueError, "lambdas must be 1-D"),
    ({"degree": 0}, ValueError, "degree must be >= 1"),
    ({"degree": 2.5}, TypeError, "degree must be an integer"),
    ({"start": 5}, ValueError, "start must be <= 1"),
])
def test_bad_arguments_raise_naming_the_argument(sample, kwargs, error, match):
    data, tr, va = sample
    args = {"degree": 3, "lambdas": [0.1, 1.0]} | kwargs
    with pytest.raises(error, match=match):
        ridge_polynomial_explorer(data.x, data.y, tr, va, **args)


def test_x_and_y_shapes_must_agree(sample):
    data, tr, va = sample
    with pytest.raises(ValueError, match="x and y must have the same shape"):
        ridge_polynomial_explorer(data.x, data.y[:-1], tr, va, 3, [1.0])
