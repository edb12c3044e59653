# GENERATED from templates/report.html.j2 by `scripts/compile_templates.py`; do not edit.
# fmt: off
# ruff: noqa
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_html_lang = resolve('html_lang')
    l_0_r = resolve('r')
    l_0_css = resolve('css')
    l_0__ = resolve('_')
    l_0_medium = resolve('medium')
    l_0_sources = resolve('sources')
    l_0_m = missing
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    pass
    l_0_m = context.vars['m'] = environment.get_template('_macros.html.j2', 'report.html.j2').make_module(context.get_all(), True, {'m': l_0_m})
    context.exported_vars.discard('m')
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape((undefined(name='html_lang') if l_0_html_lang is missing else l_0_html_lang))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="color-scheme" content="light dark">\n<meta name="generator" content="capplan '
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'version'))
    yield '">\n<title>'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title'))
    yield '</title>\n<style>\n'
    yield escape((undefined(name='css') if l_0_css is missing else l_0_css))
    yield '\n</style>\n</head>\n<body>\n<div class="page">\n<header class="cover" data-spec="'
    yield escape(t_1(context.eval_ctx, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'files'), ', '))
    yield '" data-commit="'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'):
        pass
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'commit %(commit)s', commit=environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit')))
    yield '">\n<h1>'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title'))
    yield '</h1>\n<p class="meta">'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Specs:'))
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
    l_1_loop = missing
    for l_1_f, l_1_loop in LoopContext(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'files'), undefined):
        _loop_vars = {}
        pass
        yield '<code>'
        yield escape(l_1_f)
        yield '</code>'
        if (not environment.getattr(l_1_loop, 'last')):
            pass
            yield ', '
    l_1_loop = l_1_f = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'):
        pass
        yield ' · '
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'commit'))
        yield ' <code>'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'))
        yield '</code>'
    yield ' · capplan '
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'version'))
    yield '</p>\n<div class="verdict '
    yield escape(('ok' if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'ok') else 'bad'))
    yield '" role="status">'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'verdict'))
    yield '</div>\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
        pass
        yield '<dl class="figures">\n'
        for (l_1_k, l_1_v, l_1_plan) in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
            _loop_vars = {}
            pass
            yield '<div><dt>'
            yield escape(l_1_k)
            yield '</dt><dd>'
            yield escape(l_1_v)
            yield '</dd>'
            if l_1_plan:
                pass
                yield '<dd class="of"><code>'
                yield escape(l_1_plan)
                yield '</code></dd>'
            yield '</div>\n'
        l_1_k = l_1_v = l_1_plan = missing
        yield '</dl>\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision'):
        pass
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'decision'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision')))
    yield '</header>\n\n<nav class="toc" aria-label="'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Contents'))
    yield '">\n<h2>'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Contents'))
    yield '</h2>\n<ol>\n<li><a href="#summary">'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Executive summary'))
    yield '</a></li>\n'
    for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.getattr(l_1_p, 'id'))
        yield '">'
        yield escape(environment.getattr(l_1_p, 'kind_label'))
        yield ' '
        yield escape(environment.getattr(l_1_p, 'name'))
        yield '</a></li>\n'
    l_1_p = missing
    for l_1_s in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'searches'):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.getattr(l_1_s, 'id'))
        yield '">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Strategy search', _loop_vars=_loop_vars))
        yield ' '
        yield escape(environment.getattr(l_1_s, 'name'))
        yield '</a></li>\n'
    l_1_s = missing
    for l_1_g in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'goals'):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.getattr(l_1_g, 'id'))
        yield '">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Procurement', _loop_vars=_loop_vars))
        yield ' '
        yield escape(environment.getattr(l_1_g, 'name'))
        yield '</a></li>\n'
    l_1_g = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
        pass
        yield '<li><a href="#models">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Models'))
        yield '</a></li>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
        pass
        yield '<li><a href="#diagnostics">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Diagnostics'))
        yield '</a></li>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'):
        pass
        yield '<li><a href="#provenance">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: assumptions and provenance'))
        yield '</a></li>\n<li><a href="#sources">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: source specs'))
        yield '</a></li>\n'
    yield '</ol>\n</nav>\n\n<main>\n<section id="summary">\n<h2>'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Executive summary'))
    yield '</h2>\n'
    if ((undefined(name='medium') if l_0_medium is missing else l_0_medium) == 'pdf'):
        pass
        yield '<div class="verdict '
        yield escape(('ok' if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'ok') else 'bad'))
        yield '">'
        yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'verdict'))
        yield '</div>'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'):
        pass
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary')))
        yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_tables'):
        pass
        yield '<h3>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Time, throughput and cost'))
        yield '</h3>\n'
        for l_1_t in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_tables'):
            _loop_vars = {}
            pass
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), l_1_t, _loop_vars=_loop_vars))
            yield '\n'
        l_1_t = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
        pass
        yield '<div class="unavailable">\n'
        for l_1_n in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
            _loop_vars = {}
            pass
            yield '<p><strong>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Not available:', _loop_vars=_loop_vars))
            yield '</strong>'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield escape(environment.getattr(l_1_n, 'text'))
            yield '</p>\n'
        l_1_n = missing
        yield '</div>\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers'):
        pass
        yield '<h3>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Strategy search and procurement'))
        yield '</h3>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers')))
        yield '\n'
    yield '</section>\n\n'
    for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
        _loop_vars = {}
        pass
        yield '<section class="plan" id="'
        yield escape(environment.getattr(l_1_p, 'id'))
        yield '">\n<h2>'
        yield escape(environment.getattr(l_1_p, 'kind_label'))
        yield ' <code>'
        yield escape(environment.getattr(l_1_p, 'name'))
        yield '</code> <span class="badge '
        yield escape(('ok' if environment.getattr(l_1_p, 'fits') else 'bad'))
        yield '">'
        yield escape((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'fits', _loop_vars=_loop_vars) if environment.getattr(l_1_p, 'fits') else context.call((undefined(name='_') if l_0__ is missing else l_0__), 'does not fit', _loop_vars=_loop_vars)))
        yield '</span>'
        if ((not environment.getattr(l_1_p, 'fits')) and environment.getattr(l_1_p, 'ok')):
            pass
            yield ' <span class="badge ok">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'as required', _loop_vars=_loop_vars))
            yield '</span>'
        if (not environment.getattr(l_1_p, 'ok')):
            pass
            yield ' <span class="badge bad">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'requirements fail', _loop_vars=_loop_vars))
            yield '</span>'
        yield '</h2>\n<p class="meta">'
        yield escape(environment.getattr(environment.getattr(l_1_p, 'model'), 'display_name'))
        yield ' · '
        yield escape(environment.getattr(l_1_p, 'headline'))
        yield '<br>\n'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_p, 'file'))
        yield ':'
        yield escape(environment.getattr(l_1_p, 'line'))
        yield '</code>'
        if environment.getattr(l_1_p, 'source_anchor'):
            pass
            yield ' (<a href="#'
            yield escape(environment.getattr(l_1_p, 'source_anchor'))
            yield '-'
            yield escape(environment.getattr(l_1_p, 'line'))
            yield '">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'source', _loop_vars=_loop_vars))
            yield '</a>)'
        yield '</p>\n<div class="verdict '
        yield escape(('ok' if environment.getattr(l_1_p, 'fits') else 'bad'))
        yield '">'
        yield escape(environment.getattr(l_1_p, 'verdict'))
        yield '</div>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'notes'), environment.getattr(l_1_p, 'notes'), _loop_vars=_loop_vars))
        yield '\n'
        if environment.getattr(l_1_p, 'requirements'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Requirements', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'requirements'), _loop_vars=_loop_vars))
            yield '\n'
        yield '\n<h3>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Memory per GPU', _loop_vars=_loop_vars))
        yield '</h3>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), environment.getattr(l_1_p, 'memory_chart'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'), _loop_vars=_loop_vars))
        yield '\n\n'
        if environment.getattr(l_1_p, 'serving'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Serving capacity', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'serving'), _loop_vars=_loop_vars))
            yield '\n'
        yield '\n'
        if environment.getattr(l_1_p, 'time'):
            pass
            yield '<h3>'
            yield escape(environment.getattr(environment.getattr(l_1_p, 'time'), 'title'))
            yield '</h3>\n'
            if environment.getattr(environment.getattr(l_1_p, 'time'), 'available'):
                pass
                if environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'):
                    pass
                    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'), _loop_vars=_loop_vars))
                if environment.getattr(environment.getattr(l_1_p, 'time'), 'roofline'):
                    pass
                    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), environment.getattr(environment.getattr(l_1_p, 'time'), 'roofline'), _loop_vars=_loop_vars))
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(environment.getattr(l_1_p, 'time'), 'table'), _loop_vars=_loop_vars))
                yield '\n'
                if environment.getattr(environment.getattr(l_1_p, 'time'), 'bases'):
                    pass
                    yield '<h4>'
                    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Cost on each basis: on demand, reserved, owned', _loop_vars=_loop_vars))
                    yield '</h4>\n'
                    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(environment.getattr(l_1_p, 'time'), 'bases'), _loop_vars=_loop_vars))
                    yield '\n'
            else:
                pass
                yield '<div class="unavailable"><p><strong>'
                yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Not available:', _loop_vars=_loop_vars))
                yield '</strong>'
                yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
                yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'the engine could not estimate time or cost for this plan: %(reason)s.', reason=environment.getattr(environment.getattr(l_1_p, 'time'), 'reason'), _loop_vars=_loop_vars))
                yield '</p></div>\n'
        yield '\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Memory vs sequence length and batch size', _loop_vars=_loop_vars))
            yield '</h3>\n'
            for l_2_c in environment.getattr(l_1_p, 'curves'):
                _loop_vars = {}
                pass
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), l_2_c, _loop_vars=_loop_vars))
                yield '\n'
            l_2_c = missing
            if environment.getattr(l_1_p, 'curves_note'):
                pass
                yield '<p class="muted">'
                yield escape(environment.getattr(l_1_p, 'curves_note'))
                yield '</p>'
            yield '\n<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Model', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'card'), environment.getattr(l_1_p, 'model'), False, _loop_vars=_loop_vars))
            yield '\n\n<div class="grid3">\n'
            if environment.getattr(environment.getattr(l_1_p, 'model'), 'architecture'):
                pass
                yield '<div>\n<h4>'
                yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Architecture', _loop_vars=_loop_vars))
                yield '</h4>\n'
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(environment.getattr(l_1_p, 'model'), 'architecture'), _loop_vars=_loop_vars))
                yield '\n</div>\n'
            yield '<div>\n<h4>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Hardware', _loop_vars=_loop_vars))
            yield '</h4>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'hardware'), _loop_vars=_loop_vars))
            yield '\n</div>\n<div>\n<h4>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Layout', _loop_vars=_loop_vars))
            yield '</h4>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'layout'), _loop_vars=_loop_vars))
            yield '\n<h4>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Precision', _loop_vars=_loop_vars))
            yield '</h4>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'precision'), _loop_vars=_loop_vars))
            yield '\n</div>\n</div>\n'
        yield '\n</section>\n'
    l_1_p = missing
    yield '\n'
    for l_1_s in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'searches'):
        _loop_vars = {}
        pass
        yield '<section class="plan search" id="'
        yield escape(environment.getattr(l_1_s, 'id'))
        yield '">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Strategy search', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_s, 'name'))
        yield '</code> <span class="badge '
        yield escape(('ok' if environment.getattr(l_1_s, 'best') else 'bad'))
        yield '">'
        yield escape((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'a layout found', _loop_vars=_loop_vars) if environment.getattr(l_1_s, 'best') else context.call((undefined(name='_') if l_0__ is missing else l_0__), 'no layout left', _loop_vars=_loop_vars)))
        yield '</span></h2>\n<p class="meta">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_s, 'target'))
        yield '</code> · '
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_s, 'file'))
        yield ':'
        yield escape(environment.getattr(l_1_s, 'line'))
        yield '</code>'
        if environment.getattr(l_1_s, 'source_anchor'):
            pass
            yield ' (<a href="#'
            yield escape(environment.getattr(l_1_s, 'source_anchor'))
            yield '-'
            yield escape(environment.getattr(l_1_s, 'line'))
            yield '">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'source', _loop_vars=_loop_vars))
            yield '</a>)'
        yield '</p>\n<div class="verdict '
        yield escape(('ok' if environment.getattr(l_1_s, 'best') else 'bad'))
        yield '">'
        if environment.getattr(l_1_s, 'best'):
            pass
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Best layout:', _loop_vars=_loop_vars))
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield escape(environment.getattr(l_1_s, 'answer'))
        else:
            pass
            yield escape(environment.getattr(l_1_s, 'answer'))
        yield '</div>\n<p>'
        yield escape(environment.getattr(l_1_s, 'summary'))
        yield '</p>\n'
        if environment.getattr(l_1_s, 'top'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Top layouts', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_s, 'top'), _loop_vars=_loop_vars))
            yield '\n'
        if environment.getattr(l_1_s, 'pareto'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Pareto front: GPUs, step time and cost', _loop_vars=_loop_vars))
            yield '</h3>\n'
            if environment.getattr(l_1_s, 'pareto_chart'):
                pass
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), environment.getattr(l_1_s, 'pareto_chart'), _loop_vars=_loop_vars))
            else:
                pass
                yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_s, 'pareto'), _loop_vars=_loop_vars))
        if (environment.getattr(l_1_s, 'rejected') and (environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix') or (not environment.getattr(l_1_s, 'rejected_top')))):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Rejected layouts', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_s, 'rejected'), _loop_vars=_loop_vars))
            yield '\n'
        elif environment.getattr(l_1_s, 'rejected_top'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Rejected layouts', _loop_vars=_loop_vars))
            yield '</h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_s, 'rejected_top'), _loop_vars=_loop_vars))
            yield '\n'
        yield '</section>\n'
    l_1_s = missing
    yield '\n'
    for l_1_g in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'goals'):
        _loop_vars = {}
        pass
        yield '<section class="plan goal" id="'
        yield escape(environment.getattr(l_1_g, 'id'))
        yield '">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Procurement', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_g, 'name'))
        yield '</code> <span class="badge '
        yield escape(('ok' if environment.getattr(l_1_g, 'found') else 'bad'))
        yield '">'
        yield escape((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'answered', _loop_vars=_loop_vars) if environment.getattr(l_1_g, 'found') else context.call((undefined(name='_') if l_0__ is missing else l_0__), 'no GPU type meets it', _loop_vars=_loop_vars)))
        yield '</span></h2>\n<p class="meta">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_g, 'target'))
        yield '</code> · '
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' <code>'
        yield escape(environment.getattr(l_1_g, 'file'))
        yield ':'
        yield escape(environment.getattr(l_1_g, 'line'))
        yield '</code>'
        if environment.getattr(l_1_g, 'source_anchor'):
            pass
            yield ' (<a href="#'
            yield escape(environment.getattr(l_1_g, 'source_anchor'))
            yield '-'
            yield escape(environment.getattr(l_1_g, 'line'))
            yield '">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'source', _loop_vars=_loop_vars))
            yield '</a>)'
        yield '</p>\n<p>'
        yield escape(environment.getattr(l_1_g, 'question'))
        yield '</p>\n<div class="verdict '
        yield escape(('ok' if environment.getattr(l_1_g, 'found') else 'bad'))
        yield '">'
        if environment.getattr(l_1_g, 'found'):
            pass
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'First choice:', _loop_vars=_loop_vars))
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
        yield escape(environment.getattr(l_1_g, 'answer'))
        yield '</div>\n<h3>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Ranked options', _loop_vars=_loop_vars))
        yield '</h3>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_g, 'options'), _loop_vars=_loop_vars))
        yield '\n'
        if environment.getattr(l_1_g, 'chart'):
            pass
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'chart'), environment.getattr(l_1_g, 'chart'), _loop_vars=_loop_vars))
        elif environment.getattr(l_1_g, 'chart_note'):
            pass
            yield '<p class="muted">'
            yield escape(environment.getattr(l_1_g, 'chart_note'))
            yield '</p>'
        yield '</section>\n'
    l_1_g = missing
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
        pass
        yield '<section id="models">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Models'))
        yield '</h2>\n<p class="muted">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Models declared in the specs that no plan uses.'))
        yield '</p>\n'
        for l_1_model in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
            _loop_vars = {}
            pass
            yield '<h3><code>'
            yield escape(environment.getattr(l_1_model, 'name'))
            yield '</code></h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'card'), l_1_model, _loop_vars=_loop_vars))
            yield '\n'
        l_1_model = missing
        yield '</section>\n'
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
        pass
        yield '<section id="diagnostics">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Diagnostics'))
        yield '</h2>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'notes'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes')))
        yield '\n</section>\n'
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'):
        pass
        yield '<section id="provenance" class="appendix">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: assumptions and provenance'))
        yield '</h2>\n<p>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), "Every figure of every plan, with the formula the engine used, the formula with this plan's numbers where it applies, and the source it rests on. Formulas and sources are quoted as the engine states them."))
        yield '</p>\n<h3>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Assumed constants'))
        yield '</h3>\n<p class="muted">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Figures the engine assumes rather than derives; a spec can override each in its framework block.'))
        yield '</p>\n'
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'constants'), 'provenance'))
        yield '\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants'):
            pass
            yield '<h3>'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Assumed constants of the time model'))
            yield '</h3>\n<p class="muted">'
            yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), "Named in compiler/engine/constants.py; a cluster's inter_node bandwidth replaces INTER_NODE_DEFAULT, and a GPU's or cluster's price and power give the cost and energy."))
            yield '</p>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants'), 'provenance'))
            yield '\n'
        for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
            _loop_vars = {}
            pass
            yield '<h3 id="'
            yield escape(environment.getattr(l_1_p, 'id'))
            yield '-figures">'
            yield escape(environment.getattr(l_1_p, 'kind_label'))
            yield ' <code>'
            yield escape(environment.getattr(l_1_p, 'name'))
            yield '</code></h3>\n'
            yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'table'), environment.getattr(l_1_p, 'figures'), 'provenance', _loop_vars=_loop_vars))
            yield '\n'
        l_1_p = missing
        yield '</section>\n\n<section id="sources" class="appendix">\n<h2>'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: source specs'))
        yield '</h2>\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lexer_note'):
            pass
            yield '<p class="muted">'
            yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lexer_note'))
            yield '</p>'
        for (l_1_s, l_1_code) in (undefined(name='sources') if l_0_sources is missing else l_0_sources):
            _loop_vars = {}
            pass
            yield '<h3 id="'
            yield escape(environment.getattr(l_1_s, 'anchor'))
            yield '"><code>'
            yield escape(environment.getattr(l_1_s, 'path'))
            yield '</code></h3>\n'
            yield escape(l_1_code)
            yield '\n'
        l_1_s = l_1_code = missing
        yield '</section>\n'
    else:
        pass
        yield '<p class="muted" id="no-appendix">'
        yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'The appendix (assumptions, provenance and source specs) is left out; render with --appendix to include it.'))
        yield '</p>\n'
    yield '</main>\n\n<footer>\n'
    yield escape(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Generated by capplan %(version)s from the specs listed above; the same specs give the same report.', version=environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'version')))
    yield '\n</footer>\n</div>\n</body>\n</html>\n'

blocks = {}
debug_info = '1=24&3=27&8=29&9=31&11=33&16=35&17=41&18=43&19=56&20=64&21=66&22=70&24=73&28=89&31=93&32=95&34=97&35=99&36=103&38=110&39=114&41=121&42=125&44=132&45=137&46=142&47=145&48=147&55=150&56=152&57=159&58=161&60=163&61=166&62=168&63=171&66=174&68=177&69=181&73=188&74=191&75=193&79=196&80=200&81=202&82=210&83=215&84=221&85=225&86=241&87=245&88=247&89=250&90=252&93=255&94=257&96=259&97=262&98=264&101=267&102=270&103=272&104=274&105=277&106=280&107=282&108=285&109=287&112=292&116=298&117=301&118=303&119=306&121=309&123=315&124=317&127=319&129=322&130=324&134=327&135=329&138=331&139=333&140=335&141=337&149=342&150=346&151=348&152=356&153=376&154=387&155=389&156=392&157=394&159=396&160=399&161=401&163=407&164=410&165=412&166=414&167=417&168=419&173=424&174=428&175=430&176=438&177=458&178=460&179=468&180=470&181=472&185=483&187=486&188=488&189=490&190=494&191=496&196=501&198=504&199=506&203=509&205=512&206=514&207=516&208=518&209=520&210=522&211=525&212=527&213=529&215=531&216=535&217=541&222=545&223=547&224=552&225=556&226=560&230=567&235=570'
