from pathlib import Path
from setuptools import find_namespace_packages, setup

from_readme = Path(__file__).with_name("README.md")

setup(
    name="cskit",
    version="0.1.0",
    description="Batch toolkit for a customer-service and credit department: "
    "credit grades, receivable aging, KPI scorecards, visit plans and reports.",
    long_description=from_readme.read_text(encoding="utf-8") if from_readme.exists() else "",
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    # cskit.policies and cskit.templates hold data only: listed as packages
    # with their files as package data, so that installing prints no warnings
    packages=find_namespace_packages(include=["cskit", "cskit.*"]),
    package_data={"cskit.policies": ["*.toml"], "cskit.templates": ["*.j2"]},
    include_package_data=False,
    install_requires=[
        "click>=8.1",
        "pandas>=2.2",
        "numpy>=1.26",
        "pyarrow>=15",
        "python-calamine>=0.2",
        "openpyxl>=3.1",
        "xlsxwriter>=3.1",
        "jinja2>=3.1",
        "tabulate>=0.9",
        "docxtpl>=0.17",
        "python-docx>=1.1",
        "matplotlib>=3.8",
        "chinese-calendar>=1.10",
        "lunar-python>=1.3",
        "icalendar>=5.0",
        "pypinyin>=0.50",
        "wcwidth>=0.2.6",
        "mplfonts>=0.0.11",
        "fpdf2>=2.7.6",
        "cn2an>=0.5.22",
    ],
    extras_require={
        "dev": ["pytest>=8", "hypothesis>=6.100", "pytest-xdist>=3.5"],
        "bench": ["duckdb>=1.0"],
    },
    entry_points={"console_scripts": ["cskit=cskit.cli:main"]},
)
