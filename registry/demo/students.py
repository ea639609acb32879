"""Demo students: three per open school, with synthetic names and valid ID numbers.

Every 25th student has asked to be forgotten, so the demo shows erased records next to
readable ones. Names and numbers are made up; the address code is the school's prefecture.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from domain.id_number import with_check_character
from domain.student import Student
from registry.demo.base import DemoContext, DemoStudent, Story, acting_for, demo_id

PER_SCHOOL = 3
FORGET_EVERY = 25
FORGOTTEN_AFTER = timedelta(days=300)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "子梓浩宇欣怡俊杰佳琪雨涵思远晨曦嘉豪诗琪文博雅婷明轩若曦志强丽娟海涛晓燕"
ERASURES = [
    ("《个人信息保护法》第四十七条第一款第（一）项：处理目的已实现", "student"),
    ("《个人信息保护法》第四十七条第一款第（三）项：个人撤回同意", "guardian"),
    ("PIPL art. 47(1)(2): retention period expired", "province"),
]


def load(context: DemoContext) -> list[Story]:
    rng = random.Random("demo-students")
    schools = [s for s in context.schools if not s.withdrawn]
    stories = []
    number = 0
    for school in schools:
        for serial in range(1, PER_SCHOOL + 1):
            number += 1
            gender = rng.choice(["female", "male"])
            name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
            entry_year = rng.choice([2022, 2023, 2024, 2025])
            born = date(entry_year - 16, 1, 1) + timedelta(days=rng.randrange(365))
            sequence = rng.randrange(50) * 2 + (1 if gender == "male" else 2)
            id_number = with_check_character(
                f"{school.prefecture[:4]}02{born:%Y%m%d}{sequence:03d}"
            )
            student_id = demo_id("student", number)
            forgotten = number % FORGET_EVERY == 0
            context.students.append(DemoStudent(student_id, school.id, entry_year, forgotten))
            registered_on = max(
                date(entry_year, 9, 1) + timedelta(days=number % 20),
                context.registered_on[school.id],
            )
            details = {
                "student_id": student_id,
                "school_id": school.id,
                "name": name,
                "id_number": id_number,
                "gender": gender,
                "entry_year": entry_year,
                "major": rng.choice(school.majors[:3]),
                "student_number": f"{entry_year}{serial:03d}",
                "actor": acting_for(school.id),
            }
            erasure = ERASURES[number // FORGET_EVERY % len(ERASURES)] if forgotten else None
            stories.append(_student_story(context, registered_on, details, erasure))
    return stories


def _student_story(
    context: DemoContext,
    registered_on: date,
    details: dict[str, Any],
    erasure: tuple[str, str] | None,
) -> Story:
    """Registered in the first weeks of the school year; forgotten, on request, months later."""
    app, student_id = context.app, details["student_id"]
    yield registered_on
    if not app.exists(student_id):
        app.register_student(**details)
    if erasure is None:
        return
    yield registered_on + FORGOTTEN_AFTER
    if not app.get(Student, student_id).is_forgotten:
        basis, requested_by = erasure
        app.forget_student(student_id, basis=basis, requested_by=requested_by, actor=acting_for())
