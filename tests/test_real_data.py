"""lecture_code.real_data against the published descriptions of the two data sets."""

import numpy as np

from lecture_code.real_data import breast_cancer, diabetes


def test_diabetes_is_standardised_as_in_efron_et_al_2004():
    data = diabetes()
    assert data.X.shape == (442, 10) and data.y.shape == (442,)
    assert np.allclose(data.X.sum(axis=0), 0, atol=1e-12)
    assert np.allclose(np.linalg.norm(data.X, axis=0), 1, atol=1e-12)
    assert abs(data.y.mean()) < 1e-10
    assert data.feature_names[:4] == ("age", "sex", "bmi", "bp")
    # Efron et al. (2004), Table 1: the response ranges over 25..346 with mean 152.13 before centring.
    assert np.isclose(data.y.max() - data.y.min(), 346 - 25)
    # Their least-squares fit, the end of the lasso path in their Figure 1 (coefficients as printed there, rounded
    # to units), with sum |w_j| = 3460 where the figure's x-axis ends.
    w = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
    published = np.array([-10, -240, 520, 324, -792, 477, 101, 177, 751, 68])
    assert np.abs(w - published).max() < 1.0
    assert abs(np.abs(w).sum() - 3460) < 1.0


def test_breast_cancer_codes_malignant_as_one():
    data = breast_cancer()
    assert data.X.shape == (569, 30)
    assert int(data.y.sum()) == 212 and set(np.unique(data.y)) == {0.0, 1.0}
    assert data.feature_names[0] == "mean radius"


def test_loaders_return_fresh_arrays():
    a, b = diabetes(), diabetes()
    a.X[0, 0] = 99.0
    assert b.X[0, 0] != 99.0
